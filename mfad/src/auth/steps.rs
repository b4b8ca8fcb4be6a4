//! The conversation around the code check: which methods a user is offered (enrolled, allowed
//! for the service, preferred first), the prompt of each stage, the "other options" menu, and
//! sending a texted code.

use super::stage::{MethodKind, MethodOption, SmsChallenge, Stage, random_code};
use super::{Engine, SmsRequest, SmsSent, unix_now};
use crate::audit::Level;
use crate::menu_texts::{self, SmsNotSent};
use crate::methods::voice::texts as voice_texts;
use crate::sessions::Session;
use crate::store::UserRecord;
use mfa_proto::Step;

impl Engine {
    /// The user's methods for this service, preferred first. Unknown users get the code prompt
    /// alone, like a user who only has an app.
    pub(crate) fn options_for(
        &self,
        record: Option<&UserRecord>,
        service: &str,
    ) -> Vec<MethodOption> {
        let allowed = self.config().methods_for(service);
        let Some(record) = record.filter(|r| r.is_enrolled()) else {
            return vec![MethodOption {
                kind: MethodKind::Code,
                target: String::new(),
            }];
        };
        let mut options: Vec<MethodOption> = Vec::new();
        for name in self.offer_order(record, service) {
            let option = match name.as_str() {
                "totp" | "backup" => MethodOption {
                    kind: MethodKind::Code,
                    target: String::new(),
                },
                "sms" => match (&record.phone, self.sms.get()) {
                    (Some(phone), Some(_)) => MethodOption {
                        kind: MethodKind::Sms,
                        target: crate::phone::mask(&phone.e164),
                    },
                    _ => continue,
                },
                "push" => match (&record.push, self.push.get()) {
                    (Some(push), Some(_)) if self.push_usable(push, super::unix_now()) => {
                        MethodOption {
                            kind: MethodKind::Push,
                            target: String::new(),
                        }
                    }
                    _ => continue,
                },
                "voice" => match (&record.phone, self.calls.get()) {
                    (Some(phone), Some(_)) if self.may_call(&phone.e164) => MethodOption {
                        kind: MethodKind::Voice,
                        target: crate::phone::mask(&phone.e164),
                    },
                    _ => continue,
                },
                _ => continue,
            };
            let permitted = allowed.iter().any(|a| option.kind.matches(a));
            if permitted && !options.iter().any(|o| o.kind == option.kind) {
                options.push(option);
            }
        }
        if options.is_empty() {
            // Nothing allowed here: still the uniform code prompt (and a wrong-code answer).
            options.push(MethodOption {
                kind: MethodKind::Code,
                target: String::new(),
            });
        }
        options
    }

    /// The order methods are offered in: a service that lists its methods sets the order, except
    /// that the method the user chose with `mfa prefer` comes first; otherwise the user's order.
    fn offer_order(&self, record: &UserRecord, service: &str) -> Vec<String> {
        let mine = crate::enroll::preferred_order(record);
        let Some(listed) = self
            .config()
            .services
            .get(service)
            .and_then(|s| s.methods.clone())
        else {
            return mine;
        };
        let chosen = record.preferred.first().filter(|m| mine.contains(m));
        let mut order: Vec<String> = chosen.into_iter().cloned().collect();
        for m in listed {
            if mine.contains(&m) && !order.contains(&m) {
                order.push(m);
            }
        }
        order
    }

    /// Whether the config allows calls to this number's type (checked at each login: the
    /// number was verified for texts, and `[phone] voice_types` may differ or change).
    fn may_call(&self, e164: &str) -> bool {
        let policy = crate::enroll::phone_policy(&self.config());
        crate::phone::parse(e164, &policy, crate::phone::Channel::Voice).is_ok()
    }

    /// Set the first stage from the preferred option. A text is never sent before the user
    /// answers something.
    pub(crate) fn first_step(&self, session: &mut Session, record: Option<&UserRecord>) -> Step {
        session.stage = match session.options.first().map(|o| o.kind) {
            Some(MethodKind::Sms) => Stage::OfferSms,
            Some(MethodKind::Voice) => Stage::OfferCall,
            Some(MethodKind::Push) => Stage::OfferPush,
            _ => Stage::Code,
        };
        self.prompt_for(session, record)
    }

    /// The prompt of the session's current stage.
    pub(crate) fn prompt_for(&self, session: &Session, record: Option<&UserRecord>) -> Step {
        let lang = session.lang;
        let target = |kind| {
            session
                .options
                .iter()
                .find(|o| o.kind == kind)
                .map(|o| o.target.clone())
                .unwrap_or_default()
        };
        match &session.stage {
            Stage::Code => self.code_prompt(record, session.options.len() > 1),
            Stage::Menu => self.menu_step(session, None),
            Stage::OfferSms => Step::Prompt {
                text: menu_texts::offer_sms(lang, &target(MethodKind::Sms)),
                echo: true,
                digits: false,
            },
            Stage::Sms(_) => Step::Prompt {
                text: menu_texts::sms_prompt(lang, &target(MethodKind::Sms)),
                echo: true,
                digits: true,
            },
            Stage::OfferCall => Step::Prompt {
                text: voice_texts::offer_call(lang, &target(MethodKind::Voice)),
                echo: true,
                digits: false,
            },
            Stage::OfferPush => Step::Prompt {
                text: crate::methods::push::texts::offer_push(lang).to_string(),
                echo: true,
                digits: false,
            },
            Stage::Push(push) => Step::Prompt {
                text: crate::methods::push::texts::push_prompt(lang, &push.number),
                echo: true,
                digits: false,
            },
            Stage::Call(call) => Step::Prompt {
                text: voice_texts::call_prompt(
                    lang,
                    &target(MethodKind::Voice),
                    call.digits.as_deref(),
                ),
                echo: true,
                digits: false,
            },
        }
    }

    pub(crate) fn menu_step(&self, session: &Session, note: Option<&str>) -> Step {
        Step::Prompt {
            text: menu_texts::menu(session.lang, &session.options, note),
            echo: true,
            digits: true,
        }
    }

    /// A number typed at the menu: go to that method (sending a text right away: choosing it is
    /// the user's answer).
    pub(crate) async fn choose(&self, session: &mut Session, typed: &str) -> Step {
        let chosen = typed
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| session.options.get(i))
            .cloned();
        match chosen.map(|o| o.kind) {
            Some(MethodKind::Code) => {
                session.stage = Stage::Code;
                let record = self.load(&session.user).await.ok().flatten();
                self.prompt_for(session, record.as_ref())
            }
            Some(MethodKind::Sms) => self.send_sms(session).await,
            Some(MethodKind::Voice) => self.place_call(session).await,
            Some(MethodKind::Push) => self.send_push(session).await,
            None => {
                session.stage = Stage::Menu;
                self.menu_step(session, Some(menu_texts::not_an_option(session.lang)))
            }
        }
    }

    /// Send a fresh code by text message and wait for it; on any refusal, back to the menu with
    /// a reason that says nothing about other users or numbers.
    pub(crate) async fn send_sms(&self, session: &mut Session) -> Step {
        let back_to_menu = |session: &mut Session, why: SmsNotSent| {
            session.stage = Stage::Menu;
            self.menu_step(session, Some(menu_texts::sms_not_sent(session.lang, why)))
        };
        let (Some(sender), Ok(Some(record))) = (self.sms.get(), self.load(&session.user).await)
        else {
            return back_to_menu(session, SmsNotSent::Failed);
        };
        let Some(phone) = record.phone.as_ref() else {
            return back_to_menu(session, SmsNotSent::Failed);
        };
        let sms = &self.config().sms;
        let now = unix_now();
        if let Some(wait) = session
            .sms_sent_at
            .map(|t| t + sms.resend_cooldown.as_secs())
            .filter(|ready| *ready > now)
        {
            session.stage = Stage::Menu;
            let note = menu_texts::resend_wait(session.lang, wait - now);
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
                session.sms_sent_at = Some(now);
                let expires = now + sms.code_lifetime.as_secs();
                session.stage = Stage::Sms(SmsChallenge {
                    code,
                    expires,
                    checks_left: sms.max_checks,
                });
                self.prompt_for(session, Some(&record))
            }
            SmsSent::Refused => back_to_menu(session, SmsNotSent::Budget),
            SmsSent::Unreachable => back_to_menu(session, SmsNotSent::Unreachable),
            SmsSent::Failed => {
                self.audit.log(
                    Level::Warning,
                    &format!("no gateway could send a text message for {}", session.user),
                );
                back_to_menu(session, SmsNotSent::Failed)
            }
        }
    }
}
