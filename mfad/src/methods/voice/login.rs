//! Challenge calls in the login conversation: place the call (after the user asked for it),
//! then wait through `Poll` until its keypad answer arrives, the call ends unanswered, or the
//! answer time runs out. A wrong keypad answer counts like a wrong code.

use super::port::{CallPlaced, CallPlacer, CallRequest};
use crate::config::VoiceMode;
use crate::login_context::LoginContext;
use crate::methods::open_record::open_record;
use crate::methods::prompts::{menu_step, prompt_for};
use crate::methods::random_code;
use crate::methods::voice::texts::{CallNotPlaced, Text};
use crate::oob::Verdict;
use crate::sessions::{CallChallenge, MethodState, Session, Stage};
use mfa_proto::i18n::tr;
use mfa_proto::{MethodId, Render, Step};

/// How often the module asks again while the phone rings.
const POLL_MS: u32 = 1000;

/// Place a call to the user's number and show what to do on it.
pub(crate) async fn place_call(cx: &LoginContext, session: &mut Session) -> Step {
    let back_to_menu = |session: &mut Session, why: CallNotPlaced| {
        let note = why.text().text(session.lang);
        menu_step(session, Some(note))
    };
    let (Some(placer), Ok(Some(record))) =
        (cx.port::<dyn CallPlacer>(), cx.load(&session.user).await)
    else {
        return back_to_menu(session, CallNotPlaced::Failed);
    };
    let Some(phone) = record.phone.as_ref() else {
        return back_to_menu(session, CallNotPlaced::Failed);
    };
    let now = cx.clock.unix_now();
    let cooldown = cx.config().sms.resend_cooldown.as_secs();
    let called_at = session.sent_at.get(&MethodId::Voice);
    if let Some(ready) = called_at.map(|t| t + cooldown).filter(|r| *r > now) {
        let note = tr!(session.lang, Text::Wait(ready - now), seconds = ready - now);
        return menu_step(session, Some(&note));
    }
    let digits = match cx.config().voice.mode {
        VoiceMode::PressHash => None,
        VoiceMode::NumberMatch => match random_code(2) {
            Ok(d) => Some(d),
            Err(_) => return back_to_menu(session, CallNotPlaced::Failed),
        },
    };
    let request = CallRequest {
        user: &session.user,
        e164: &phone.e164,
        region: &phone.region,
        lang: session.lang,
        nonroot: session.caller.uid != 0,
        digits: digits.as_deref(),
    };
    let placed = placer.place(request).await;
    let outcome = match &placed {
        CallPlaced::Placed { .. } => "call-placed",
        CallPlaced::Refused => "call-refused-budget",
        CallPlaced::Unreachable => "call-unreachable",
        CallPlaced::Failed => "call-failed",
    };
    cx.log_session(session, "voice", outcome);
    match placed {
        CallPlaced::Placed { token } => {
            session.sent_at.insert(MethodId::Voice, now);
            let deadline = now + cx.config().voice.answer_timeout.as_secs();
            let call = CallChallenge {
                token,
                digits,
                deadline,
            };
            session.stage = Stage::In(MethodId::Voice, MethodState::Calling(call));
            prompt_for(cx, session, Some(&record))
        }
        CallPlaced::Refused => back_to_menu(session, CallNotPlaced::Budget),
        CallPlaced::Unreachable => back_to_menu(session, CallNotPlaced::Unreachable),
        CallPlaced::Failed => back_to_menu(session, CallNotPlaced::Failed),
    }
}

/// Whatever the user typed at the call prompt (Enter) and every `Poll` come here: wait
/// while it rings, then decide by the keypad answer.
pub(crate) async fn check_call(
    cx: &LoginContext,
    session: &mut Session,
    call: CallChallenge,
) -> Step {
    let Some(placer) = cx.port::<dyn CallPlacer>() else {
        let note = CallNotPlaced::Failed.text().text(session.lang);
        return menu_step(session, Some(note));
    };
    let now = cx.clock.unix_now();
    let verdict = placer.verdict(&call.token);
    if verdict == Some(Verdict::Pending) && now < call.deadline {
        session.stage = Stage::In(MethodId::Voice, MethodState::Calling(call));
        return Step::Wait {
            text: String::new(),
            poll_after_ms: POLL_MS,
        };
    }
    placer.close(&call.token);
    match verdict {
        Some(Verdict::Approved | Verdict::Rejected | Verdict::Denied | Verdict::Reported) => {
            let (txn, record) = match open_record(cx, session).await {
                Ok(opened) => opened,
                Err(step) => return step,
            };
            if verdict == Some(Verdict::Approved) {
                return cx.succeed(session, txn, record, "voice", now).await;
            }
            let failed = cx
                .fail(session, txn, record, "voice", "denied-wrong-keys", now)
                .await;
            let wrong = match session.render {
                Render::Lines => Text::Wrong,
                Render::OneLine => Text::OneWrong,
            };
            failed.unwrap_or_else(|| Step::Denied {
                text: wrong.text(session.lang).to_string(),
            })
        }
        Some(Verdict::Unanswered) => {
            cx.log_session(session, "voice", "call-unanswered");
            menu_step(session, Some(Text::Unanswered.text(session.lang)))
        }
        Some(Verdict::Pending) | None => {
            cx.log_session(session, "voice", "call-timeout");
            menu_step(session, Some(Text::Timeout.text(session.lang)))
        }
    }
}
