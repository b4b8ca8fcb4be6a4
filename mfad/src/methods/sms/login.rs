//! Texted codes in the login conversation: send a fresh code (after the user asked for it),
//! then check what is typed against it, counted like any wrong code.

use super::port::{SmsRequest, SmsSender, SmsSent};
use super::texts::{SmsNotSent, Text};
use crate::audit::Level;
use crate::login_context::LoginContext;
use crate::methods::open_record::open_record;
use crate::methods::prompts::{menu_step, prompt_for};
use crate::methods::{one_line, random_code};
use crate::sessions::{MethodState, Session, SmsChallenge, Stage};
use mfa_proto::i18n::tr;
use mfa_proto::{MethodId, Render, Step};

/// Send a fresh code by text message and wait for it; on any refusal, back to the menu with
/// a reason that says nothing about other users or numbers.
pub(crate) async fn send_sms(cx: &LoginContext, session: &mut Session) -> Step {
    let back_to_menu = |session: &mut Session, why: SmsNotSent| {
        let note = why.text().text(session.lang);
        menu_step(session, Some(note))
    };
    let (Some(sender), Ok(Some(record))) =
        (cx.port::<dyn SmsSender>(), cx.load(&session.user).await)
    else {
        return back_to_menu(session, SmsNotSent::Failed);
    };
    let Some(phone) = record.phone.as_ref() else {
        return back_to_menu(session, SmsNotSent::Failed);
    };
    let sms = &cx.config().sms;
    let now = cx.clock.unix_now();
    if let Some(wait) = session
        .sent_at
        .get(&MethodId::Sms)
        .map(|t| t + sms.resend_cooldown.as_secs())
        .filter(|ready| *ready > now)
    {
        let note = tr!(
            session.lang,
            Text::ResendWait(wait - now),
            seconds = wait - now
        );
        return menu_step(session, Some(&note));
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
    cx.decide(
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
            prompt_for(cx, session, Some(&record))
        }
        SmsSent::Refused => back_to_menu(session, SmsNotSent::Budget),
        SmsSent::Unreachable => back_to_menu(session, SmsNotSent::Unreachable),
        SmsSent::Failed => {
            cx.audit().log(
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
    cx: &LoginContext,
    session: &mut Session,
    mut challenge: SmsChallenge,
    typed: &str,
) -> Step {
    let code = mfa_proto::normalize_code(typed.as_bytes()).unwrap_or_default();
    let (txn, record) = match open_record(cx, session).await {
        Ok(opened) => opened,
        Err(step) => return step,
    };
    let now = cx.clock.unix_now();
    if now >= challenge.expires {
        return menu_step(session, Some(Text::Expired.text(session.lang)));
    }
    let right = bool::from(subtle::ConstantTimeEq::ct_eq(
        code.as_bytes(),
        challenge.code.as_bytes(),
    ));
    if right {
        return cx.succeed(session, txn, record, "sms", now).await;
    }
    if let Some(step) = cx
        .fail(session, txn, record, "sms", "denied-wrong-code", now)
        .await
    {
        return step;
    }
    challenge.checks_left = challenge.checks_left.saturating_sub(1);
    if challenge.checks_left == 0 {
        return cx.wrong_code(session);
    }
    session.stage = Stage::In(MethodId::Sms, MethodState::Texted(challenge));
    let Step::Prompt { text, echo, digits } = prompt_for(cx, session, None) else {
        return cx.wrong_code(session);
    };
    let text = match session.render {
        Render::Lines => format!("{}\n{text}", Text::Wrong.text(session.lang)),
        Render::OneLine => {
            let note = crate::texts::Text::WrongCodeShort.text(session.lang);
            one_line::join(Some(note), text)
        }
    };
    Step::Prompt { text, echo, digits }
}
