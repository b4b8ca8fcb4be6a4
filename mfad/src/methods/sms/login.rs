//! Texted codes in the login conversation: send a fresh code (after the user asked for it),
//! then check what is typed against it, counted like any wrong code.

use super::SmsChallenge;
use super::port::{SmsRequest, SmsSender, SmsSent};
use super::texts::{SmsNotSent, Text};
use crate::audit::Level;
use crate::auth::Engine;
use crate::auth::stage::Stage;
use crate::methods::{MethodState, random_code};
use crate::sessions::Session;
use mfa_proto::i18n::tr;
use mfa_proto::{MethodId, Step};

impl Engine {
    /// Send a fresh code by text message and wait for it; on any refusal, back to the menu with
    /// a reason that says nothing about other users or numbers.
    pub(crate) async fn send_sms(&self, session: &mut Session) -> Step {
        let back_to_menu = |session: &mut Session, why: SmsNotSent| {
            session.stage = Stage::Menu;
            self.menu_step(session, Some(why.text().text(session.lang)))
        };
        let (Some(sender), Ok(Some(record))) =
            (self.port::<dyn SmsSender>(), self.load(&session.user).await)
        else {
            return back_to_menu(session, SmsNotSent::Failed);
        };
        let Some(phone) = record.phone.as_ref() else {
            return back_to_menu(session, SmsNotSent::Failed);
        };
        let sms = &self.config().sms;
        let now = self.clock.unix_now();
        if let Some(wait) = session
            .sent_at
            .get(&MethodId::Sms)
            .map(|t| t + sms.resend_cooldown.as_secs())
            .filter(|ready| *ready > now)
        {
            session.stage = Stage::Menu;
            let note = tr!(
                session.lang,
                Text::ResendWait(wait - now),
                seconds = wait - now
            );
            return self.menu_step(session, Some(&note));
        }
        let Ok(code) = random_code(sms.code_length as usize) else {
            return back_to_menu(session, SmsNotSent::Failed);
        };
        let request = SmsRequest {
            user: &session.user,
            e164: &phone.e164,
            region: &phone.region,
            code: &code,
            lang: session.lang,
            nonroot: session.caller.uid != 0,
        };
        let sent = sender.send(request).await;
        let outcome = match sent {
            SmsSent::Sent => "sms-sent",
            SmsSent::Refused => "sms-refused-budget",
            SmsSent::Unreachable => "sms-unreachable",
            SmsSent::Failed => "sms-failed",
        };
        self.decide(
            &session.caller,
            &session.user,
            &session.service,
            &session.rhost,
            "sms",
            outcome,
        );
        match sent {
            SmsSent::Sent => {
                session.sent_at.insert(MethodId::Sms, now);
                let expires = now + sms.code_lifetime.as_secs();
                session.stage = Stage::In(
                    MethodId::Sms,
                    MethodState::Texted(SmsChallenge {
                        code,
                        expires,
                        checks_left: sms.max_checks,
                    }),
                );
                self.prompt_for(session, Some(&record))
            }
            SmsSent::Refused => back_to_menu(session, SmsNotSent::Budget),
            SmsSent::Unreachable => back_to_menu(session, SmsNotSent::Unreachable),
            SmsSent::Failed => {
                self.audit().log(
                    Level::Warning,
                    &format!("no gateway could send a text message for {}", session.user),
                );
                back_to_menu(session, SmsNotSent::Failed)
            }
        }
    }

    /// A texted code: right → in; wrong → counted like any wrong code, and asked again while
    /// the code has checks left; expired → back to the menu.
    pub(crate) async fn check_sms(
        &self,
        session: &mut Session,
        mut challenge: SmsChallenge,
        typed: &str,
    ) -> Step {
        let code = mfa_proto::normalize_code(typed.as_bytes()).unwrap_or_default();
        let (txn, record) = match self.open_record(session).await {
            Ok(opened) => opened,
            Err(step) => return step,
        };
        let now = self.clock.unix_now();
        if now >= challenge.expires {
            session.stage = Stage::Menu;
            return self.menu_step(session, Some(Text::Expired.text(session.lang)));
        }
        let right = bool::from(subtle::ConstantTimeEq::ct_eq(
            code.as_bytes(),
            challenge.code.as_bytes(),
        ));
        if right {
            return self.succeed(session, txn, record, "sms", now).await;
        }
        if let Some(step) = self
            .fail(session, txn, record, "sms", "denied-wrong-code", now)
            .await
        {
            return step;
        }
        challenge.checks_left = challenge.checks_left.saturating_sub(1);
        if challenge.checks_left == 0 {
            return self.wrong_code(session);
        }
        session.stage = Stage::In(MethodId::Sms, MethodState::Texted(challenge));
        let Step::Prompt { text, echo, digits } = self.prompt_for(session, None) else {
            return self.wrong_code(session);
        };
        Step::Prompt {
            text: format!("{}\n{text}", Text::Wrong.text(session.lang)),
            echo,
            digits,
        }
    }
}
