//! Push approvals in the login conversation: send the notification (after the user asked for
//! it, and within the per-window limit), show the number to type on the phone, then wait
//! through `Poll` for the page's answer. A wrong number, a deny, a report or no answer in time
//! all count as failures; a deny cools push off for a while and a report turns it off.

use super::port::{PushPurpose, PushRequest, PushSender, PushSent};
use crate::audit::Level;
use crate::login_context::LoginContext;
use crate::methods::open_record::open_record;
use crate::methods::prompts::{menu_step, prompt_for};
use crate::methods::push::texts::Text;
use crate::methods::random_code;
use crate::oob::Verdict;
use crate::sessions::{MethodState, PushChallenge, Session, Stage};
use crate::store::{Missing, PushMethod, UserRecord};
use mfa_proto::{MethodId, Render, Step};

const POLL_MS: u32 = 1000;

/// Whether push may be offered now: linked, not reported, not cooling off after a deny.
pub(crate) fn push_usable(cx: &LoginContext, push: &PushMethod, now: u64) -> bool {
    let cooldown = cx.config().push.deny_cooldown.as_secs();
    push.reported_at.is_none() && push.denied_at.is_none_or(|t| t + cooldown <= now)
}

pub(crate) async fn send_push(cx: &LoginContext, session: &mut Session) -> Step {
    let back_to_menu = |session: &mut Session, note: &str| menu_step(session, Some(note));
    let lang = session.lang;
    let Some(sender) = cx.port::<dyn PushSender>() else {
        return back_to_menu(session, Text::NotSent.text(lang));
    };
    let now = cx.clock.unix_now();
    // The send is counted under the user's lock before anything leaves.
    let (push, number) = {
        let (txn, mut record) = match open_record(cx, session).await {
            Ok(opened) => opened,
            Err(step) => return step,
        };
        let Some(push) = record.push.as_mut().filter(|p| push_usable(cx, p, now)) else {
            return back_to_menu(session, Text::NotSent.text(lang));
        };
        let window = cx.config().push.window.as_secs();
        push.sent.retain(|t| t + window > now);
        if push.sent.len() >= cx.config().push.max_per_window as usize {
            cx.log_session(session, "push", "push-refused-limit");
            return back_to_menu(session, Text::TooMany.text(lang));
        }
        push.sent.push(now);
        let push = push.clone();
        if let Err(e) = txn.commit(record).await {
            crate::metrics::store_error();
            return cx.unavailable(session, &e.to_string());
        }
        let Ok(number) = random_code(2) else {
            return back_to_menu(session, Text::NotSent.text(lang));
        };
        (push, number)
    };
    let request = PushRequest {
        user: &session.user,
        gateway: &push.gateway,
        topic: &push.topic,
        lang,
        number: &number,
        pin: if cx.config().push.pin_required {
            push.pin.as_ref()
        } else {
            None
        },
        service: &session.service,
        rhost: &session.rhost,
        purpose: PushPurpose::Login,
    };
    match sender.send(request).await {
        PushSent::Sent { token } => {
            cx.log_session(session, "push", "push-sent");
            let deadline = now + cx.config().push.timeout.as_secs();
            let push = PushChallenge {
                token,
                number,
                deadline,
            };
            session.stage = Stage::In(MethodId::Push, MethodState::Pushed(push));
            prompt_for(cx, session, None)
        }
        PushSent::Failed => {
            cx.log_session(session, "push", "push-failed");
            back_to_menu(session, Text::NotSent.text(lang))
        }
    }
}

/// Enter at the push prompt, and every `Poll`: wait for the page, then decide.
pub(crate) async fn check_push(
    cx: &LoginContext,
    session: &mut Session,
    push: PushChallenge,
) -> Step {
    let Some(sender) = cx.port::<dyn PushSender>() else {
        return cx.wrong_code(session);
    };
    let now = cx.clock.unix_now();
    let verdict = sender.verdict(&push.token);
    if verdict == Some(Verdict::Pending) && now < push.deadline {
        session.stage = Stage::In(MethodId::Push, MethodState::Pushed(push));
        return Step::Wait {
            text: String::new(),
            poll_after_ms: POLL_MS,
        };
    }
    sender.close(&push.token);
    let (txn, mut record) = match open_record(cx, session).await {
        Ok(opened) => opened,
        Err(step) => return step,
    };
    let (outcome, text) = match verdict {
        Some(Verdict::Approved) => {
            return cx.succeed(session, txn, record, "push", now).await;
        }
        Some(Verdict::Rejected) => ("denied-wrong-number", Ending::WrongNumber),
        Some(Verdict::Denied) => {
            mark_push(&mut record, |p| p.denied_at = Some(now));
            ("denied-on-phone", Ending::Denied)
        }
        Some(Verdict::Reported) => {
            mark_push(&mut record, |p| p.reported_at = Some(now));
            alert_reported(cx, &session.user);
            ("denied-reported", Ending::Reported)
        }
        Some(Verdict::Pending | Verdict::Unanswered) | None => {
            ("denied-timeout", Ending::NotApprovedInTime)
        }
    };
    let failed = cx.fail(session, txn, record, "push", outcome, now).await;
    failed.unwrap_or_else(|| Step::Denied {
        text: text.text(session),
    })
}

/// How a push that was not approved ends, in the words the caller's screen fits.
enum Ending {
    NotApprovedInTime,
    WrongNumber,
    Denied,
    Reported,
}

impl Ending {
    fn text(self, session: &Session) -> String {
        let one_line = session.render == Render::OneLine;
        let text = match (self, one_line) {
            (Ending::NotApprovedInTime, false) => Text::NotApprovedInTime,
            (Ending::NotApprovedInTime, true) => Text::OneNotApprovedInTime,
            (Ending::WrongNumber, false) => Text::WrongNumber,
            (Ending::WrongNumber, true) => Text::OneWrongNumber,
            (Ending::Denied, false) => Text::Denied,
            (Ending::Denied, true) => Text::OneDenied,
            (Ending::Reported, false) => Text::Reported,
            (Ending::Reported, true) => Text::OneReported,
        };
        text.text(session.lang).to_string()
    }
}

/// "This wasn't me" from the approval page: push goes off for `user` even when no login
/// waits for the answer any more.
pub async fn push_reported(cx: &LoginContext, user: &str) {
    let turned_off = cx.store().update(user, Missing::Refuse, |record| {
        let already = record
            .push
            .as_ref()
            .is_some_and(|p| p.reported_at.is_some());
        if already {
            return Err(());
        }
        mark_push(record, |p| p.reported_at = Some(cx.clock.unix_now()));
        Ok(())
    });
    if let Ok(Ok(())) = turned_off.await {
        alert_reported(cx, user);
    }
}

fn alert_reported(cx: &LoginContext, user: &str) {
    let message = format!(
        "ALERT: {user} reported a push approval as not theirs: push is off for {user} \
         until it is enrolled again"
    );
    cx.audit().log(Level::Alert, &message);
}

fn mark_push(record: &mut UserRecord, change: impl FnOnce(&mut PushMethod)) {
    if let Some(push) = record.push.as_mut() {
        change(push);
    }
}
