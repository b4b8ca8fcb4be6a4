//! Each method's enrollment behind the common gate: the account is the caller's own, and
//! anything that starts a new method needs a current factor or the first-method policy
//! ([`Enroller::may_change`]). The steps themselves are the methods' (`methods/*/enroll.rs`).

use super::console::is_local_console;
use super::{EnrollError, Enroller, own_user};
use crate::methods::{code, push, sms};
use crate::sessions::Caller;
use zbus::Connection;

impl Enroller {
    /// A new TOTP secret, pending until `confirm_totp`; returns the otpauth:// URI.
    pub async fn begin_totp(
        &self,
        caller: &Caller,
        conn: &Connection,
    ) -> Result<String, EnrollError> {
        let user = own_user(caller).await?;
        self.may_change(caller, &user, is_local_console(conn, &caller.sender))
            .await?;
        code::enroll::begin_totp(self.cx(), &self.pending.totps, caller, &user).await
    }

    pub async fn confirm_totp(&self, caller: &Caller, code: &str) -> Result<bool, EnrollError> {
        let user = own_user(caller).await?;
        code::enroll::confirm_totp(self.cx(), &self.pending.totps, caller, &user, code).await
    }

    pub async fn backup_codes(
        &self,
        caller: &Caller,
        conn: &Connection,
    ) -> Result<Vec<String>, EnrollError> {
        let user = own_user(caller).await?;
        self.may_change(caller, &user, is_local_console(conn, &caller.sender))
            .await?;
        code::enroll::backup_codes(self.cx(), caller, &user).await
    }

    /// Validate `number` and text it a code; returns the masked number.
    pub async fn begin_phone(
        &self,
        caller: &Caller,
        conn: &Connection,
        number: &str,
    ) -> Result<String, EnrollError> {
        let user = own_user(caller).await?;
        self.may_change(caller, &user, is_local_console(conn, &caller.sender))
            .await?;
        sms::enroll::begin_phone(self.cx(), &self.pending.phones, caller, &user, number).await
    }

    pub async fn confirm_phone(&self, caller: &Caller, code: &str) -> Result<bool, EnrollError> {
        let user = own_user(caller).await?;
        sms::enroll::confirm_phone(self.cx(), &self.pending.phones, caller, &user, code).await
    }

    /// Make a topic and send the test notification (`pin` empty for none).
    pub async fn begin_push(
        &self,
        caller: &Caller,
        conn: &Connection,
        pin: &str,
    ) -> Result<push::enroll::LinkStarted, EnrollError> {
        let user = own_user(caller).await?;
        self.may_change(caller, &user, is_local_console(conn, &caller.sender))
            .await?;
        push::enroll::begin_push(self.cx(), &self.pending.links, caller, &user, pin).await
    }

    /// `"pending"` while the page is unanswered, `"linked"` once approved.
    pub async fn confirm_push(&self, caller: &Caller) -> Result<String, EnrollError> {
        let user = own_user(caller).await?;
        push::enroll::confirm_push(self.cx(), &self.pending.links, caller, &user).await
    }
}
