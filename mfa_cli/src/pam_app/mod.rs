//! A small, safe PAM *application* layer over libpam (the side sshd, sudo or su play).
//!
//! Used by `mfa test-login` and by the black-box tests to drive a real PAM stack (with
//! `pam_start_confdir` so that a stack outside `/etc/pam.d` can be used). It is deliberately
//! synchronous and starts no runtime: the modules it loads run their own.
//!
//! ```no_run
//! use mfa_cli::pam_app::{authenticate, Conversation, Request, Style};
//! struct Fixed;
//! impl Conversation for Fixed {
//!     fn prompt(&mut self, style: Style, _text: &str) -> Option<String> {
//!         Some(if style.is_prompt() { "123456".into() } else { String::new() })
//!     }
//! }
//! let req = Request { service: "sshd", user: "alice", confdir: None, rhost: None, tty: None };
//! let outcome = authenticate(&req, &mut Fixed, true);
//! println!("{}", outcome.describe());
//! ```

use std::any::Any;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::Path;
use std::ptr;

mod callback;
pub mod codes;
mod ffi;
pub mod flags;

use callback::*;
pub use ffi::MAX_RESPONSE_LEN;
use ffi::*;

/// How a module wants a message shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// A prompt whose answer must not be echoed (passwords, codes).
    EchoOff,
    /// A prompt whose answer may be echoed.
    EchoOn,
    /// An error message; no answer.
    ErrorMsg,
    /// An informational message; no answer.
    TextInfo,
}

impl Style {
    fn from_raw(style: c_int) -> Option<Style> {
        match style {
            PAM_PROMPT_ECHO_OFF => Some(Style::EchoOff),
            PAM_PROMPT_ECHO_ON => Some(Style::EchoOn),
            PAM_ERROR_MSG => Some(Style::ErrorMsg),
            PAM_TEXT_INFO => Some(Style::TextInfo),
            _ => None,
        }
    }

    /// True for the two styles that expect an answer.
    pub fn is_prompt(self) -> bool {
        matches!(self, Style::EchoOff | Style::EchoOn)
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Style::EchoOff => "ECHO_OFF",
            Style::EchoOn => "ECHO_ON",
            Style::ErrorMsg => "ERROR",
            Style::TextInfo => "INFO",
        })
    }
}

/// The application's side of the PAM conversation.
///
/// Called once per message. For prompts (`EchoOff`, `EchoOn`) return the answer; for
/// `ErrorMsg`/`TextInfo` return `Some(String::new())` once shown (the text is ignored). Returning
/// `None` for any message makes the whole conversation call fail with `PAM_CONV_ERR`.
/// A panic is caught at the FFI boundary (the module sees `PAM_CONV_ERR`) and re-raised by
/// [`authenticate`] after `pam_end`.
pub trait Conversation {
    fn prompt(&mut self, style: Style, text: &str) -> Option<String>;
}

/// Which PAM call produced an [`Outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Start,
    SetItem,
    Authenticate,
    AccountManagement,
    SetCred,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Start => "pam_start",
            Stage::SetItem => "pam_set_item",
            Stage::Authenticate => "pam_authenticate",
            Stage::AccountManagement => "pam_acct_mgmt",
            Stage::SetCred => "pam_setcred",
        })
    }
}

/// The result of a PAM call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The PAM return code (see [`codes`]).
    pub code: i32,
    /// libpam's text for it (`pam_strerror`).
    pub message: String,
    /// The call that returned it (the last one made).
    pub stage: Stage,
}

impl Outcome {
    fn new(handle: *mut PamHandle, code: c_int, stage: Stage) -> Outcome {
        Outcome {
            code,
            message: strerror(handle, code),
            stage,
        }
    }

    pub fn is_success(&self) -> bool {
        self.code == codes::PAM_SUCCESS
    }

    /// The symbolic name of the code, e.g. `"PAM_MAXTRIES"`.
    pub fn name(&self) -> &'static str {
        codes::name(self.code)
    }

    /// `"success"` or e.g. `"Authentication failure (PAM_AUTH_ERR, 7)"`.
    pub fn describe(&self) -> String {
        if self.is_success() {
            "success".to_string()
        } else {
            format!("{} ({}, {})", self.message, self.name(), self.code)
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

fn strerror(handle: *mut PamHandle, code: c_int) -> String {
    // SAFETY: Linux-PAM's pam_strerror does not dereference the handle (it may be NULL) and
    // returns a static string (or NULL, handled).
    let p = unsafe { pam_strerror(handle, code) };
    if p.is_null() {
        return format!("PAM error {code}");
    }
    // SAFETY: non-NULL, NUL-terminated static string from libpam.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// What to start a transaction for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The PAM service (the file name under `/etc/pam.d` or `confdir`).
    pub service: &'a str,
    pub user: &'a str,
    /// Read the stack from this directory (`pam_start_confdir`) instead of `/etc/pam.d`.
    pub confdir: Option<&'a Path>,
    /// PAM_RHOST, if set.
    pub rhost: Option<&'a str>,
    /// PAM_TTY, if set.
    pub tty: Option<&'a str>,
}

/// Runs `pam_start(_confdir)` → set RHOST/TTY → `pam_authenticate` [→ `pam_acct_mgmt`] →
/// `pam_end`, and returns the first failing (or the last) result.
///
/// If the conversation panicked, the panic is re-raised here once libpam has been cleaned up.
pub fn authenticate(req: &Request, conv: &mut dyn Conversation, also_account: bool) -> Outcome {
    let mut tx = match Transaction::start(req.service, req.user, req.confdir, conv) {
        Ok(tx) => tx,
        Err(outcome) => return outcome,
    };
    let outcome = run_steps(&mut tx, req, also_account);
    let panic = tx.take_panic();
    drop(tx); // pam_end
    if let Some(payload) = panic {
        resume_unwind(payload);
    }
    outcome
}

fn run_steps(tx: &mut Transaction<'_>, req: &Request, also_account: bool) -> Outcome {
    if let Some(rhost) = req.rhost
        && let Err(outcome) = tx.set_rhost(rhost)
    {
        return outcome;
    }
    if let Some(tty) = req.tty
        && let Err(outcome) = tx.set_tty(tty)
    {
        return outcome;
    }
    let outcome = tx.authenticate(0);
    if !outcome.is_success() || !also_account {
        return outcome;
    }
    tx.acct_mgmt(0)
}

/// State behind the conversation's `appdata_ptr`.
struct ConvState<'c> {
    conv: &'c mut dyn Conversation,
    panic: Option<Box<dyn Any + Send + 'static>>,
}

/// One PAM transaction (a `pam_handle_t`); `pam_end` runs on drop.
pub struct Transaction<'c> {
    handle: *mut PamHandle,
    /// Owned (from `Box::into_raw`); freed in Drop after `pam_end`.
    state: *mut ConvState<'c>,
    last_status: c_int,
}

impl<'c> Transaction<'c> {
    /// `pam_start`, or `pam_start_confdir` when `confdir` is given.
    pub fn start(
        service: &str,
        user: &str,
        confdir: Option<&Path>,
        conv: &'c mut dyn Conversation,
    ) -> Result<Transaction<'c>, Outcome> {
        let bad_arg = |what: &str| Outcome {
            code: codes::PAM_SYSTEM_ERR,
            message: format!("{what} contains a NUL byte"),
            stage: Stage::Start,
        };
        let c_service = CString::new(service).map_err(|_| bad_arg("service name"))?;
        let c_user = CString::new(user).map_err(|_| bad_arg("user name"))?;
        let c_dir = match confdir {
            Some(dir) => Some(
                CString::new(dir.as_os_str().as_bytes())
                    .map_err(|_| bad_arg("configuration directory"))?,
            ),
            None => None,
        };
        let state = Box::into_raw(Box::new(ConvState { conv, panic: None }));
        // libpam copies this struct; only appdata_ptr has to stay valid, until pam_end.
        let pam_conv = PamConv {
            conv: Some(conversation_callback),
            appdata_ptr: state.cast::<c_void>(),
        };
        let mut handle: *mut PamHandle = ptr::null_mut();
        // SAFETY: all pointers are valid NUL-terminated strings / live structs for the call.
        let rc = unsafe {
            match &c_dir {
                Some(dir) => pam_start_confdir(
                    c_service.as_ptr(),
                    c_user.as_ptr(),
                    &pam_conv,
                    dir.as_ptr(),
                    &mut handle,
                ),
                None => pam_start(c_service.as_ptr(), c_user.as_ptr(), &pam_conv, &mut handle),
            }
        };
        if rc != codes::PAM_SUCCESS || handle.is_null() {
            // On failure Linux-PAM frees the handle itself and sets it to NULL.
            // SAFETY: `state` came from Box::into_raw above and libpam no longer refers to it.
            drop(unsafe { Box::from_raw(state) });
            let code = if rc == codes::PAM_SUCCESS {
                codes::PAM_SYSTEM_ERR
            } else {
                rc
            };
            return Err(Outcome::new(ptr::null_mut(), code, Stage::Start));
        }
        Ok(Transaction {
            handle,
            state,
            last_status: codes::PAM_SUCCESS,
        })
    }

    fn set_string_item(&mut self, item: c_int, value: &str) -> Result<(), Outcome> {
        let c_value = CString::new(value).map_err(|_| Outcome {
            code: codes::PAM_BAD_ITEM,
            message: "item contains a NUL byte".to_string(),
            stage: Stage::SetItem,
        })?;
        // SAFETY: live handle; libpam copies the string.
        let rc = unsafe { pam_set_item(self.handle, item, c_value.as_ptr().cast::<c_void>()) };
        if rc == codes::PAM_SUCCESS {
            Ok(())
        } else {
            Err(Outcome::new(self.handle, rc, Stage::SetItem))
        }
    }

    /// Sets PAM_RHOST.
    pub fn set_rhost(&mut self, rhost: &str) -> Result<(), Outcome> {
        self.set_string_item(PAM_RHOST, rhost)
    }

    /// Sets PAM_TTY.
    pub fn set_tty(&mut self, tty: &str) -> Result<(), Outcome> {
        self.set_string_item(PAM_TTY, tty)
    }

    /// Sets PAM_RUSER.
    pub fn set_ruser(&mut self, ruser: &str) -> Result<(), Outcome> {
        self.set_string_item(PAM_RUSER, ruser)
    }

    /// `pam_authenticate(flags)` (see [`flags`]).
    pub fn authenticate(&mut self, flags: i32) -> Outcome {
        // SAFETY: live handle; the conversation state outlives it.
        let rc = unsafe { pam_authenticate(self.handle, flags) };
        self.last_status = rc;
        Outcome::new(self.handle, rc, Stage::Authenticate)
    }

    /// `pam_acct_mgmt(flags)`.
    pub fn acct_mgmt(&mut self, flags: i32) -> Outcome {
        // SAFETY: live handle; the conversation state outlives it.
        let rc = unsafe { pam_acct_mgmt(self.handle, flags) };
        self.last_status = rc;
        Outcome::new(self.handle, rc, Stage::AccountManagement)
    }

    /// `pam_setcred(flags)` (e.g. `PAM_ESTABLISH_CRED` = 2).
    pub fn setcred(&mut self, flags: i32) -> Outcome {
        // SAFETY: live handle; the conversation state outlives it.
        let rc = unsafe { pam_setcred(self.handle, flags) };
        self.last_status = rc;
        Outcome::new(self.handle, rc, Stage::SetCred)
    }

    /// Takes the payload of a panic the conversation raised (caught at the FFI boundary).
    pub fn take_panic(&mut self) -> Option<Box<dyn Any + Send + 'static>> {
        // SAFETY: `state` is live until Drop; libpam is not running a callback now.
        unsafe { (*self.state).panic.take() }
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        // SAFETY: the handle is live and ends here exactly once; after pam_end nothing refers
        // to `state` any more, so it can be freed.
        unsafe {
            pam_end(self.handle, self.last_status);
            drop(Box::from_raw(self.state));
        }
    }
}

#[cfg(test)]
mod tests;
