//! The code prompt in the login conversation: its prompt (naming the user's preferred kind of
//! code, warning when backup codes run low) and the check of a typed code, in one store
//! transaction, on the heavy lane.

use super::check::Check;
use super::heavy_check;
use super::texts as code_texts;
use crate::login_context::LoginContext;
use crate::methods::open_record::open_record;
use crate::sessions::Session;
use crate::store::UserRecord;
use mfa_proto::{Render, Step};

/// The code prompt, naming the user's preferred method first (both are accepted at it).
/// Everything the user must read goes inside it (sshd shows info messages only with the
/// next prompt), including a warning when backup codes run low; on one line the warning does
/// not fit and is left out.
pub(crate) fn code_prompt(
    cx: &LoginContext,
    record: Option<&UserRecord>,
    with_menu: bool,
    render: Render,
) -> Step {
    use code_texts::Text;
    let lang = cx.lang_of(record);
    let prefers_backup = record.is_some_and(|r| {
        crate::methods::enrolled::preferred_order(r)
            .first()
            .is_some_and(|m| m == "backup")
    });
    let one_line = render == Render::OneLine;
    let prompt = match (prefers_backup, with_menu, one_line) {
        (true, _, false) => Text::BackupPrompt,
        (true, _, true) => Text::OneBackupPrompt,
        (false, true, false) => Text::CodePromptWithMenu,
        (false, true, true) => Text::OneCodePromptWithMenu,
        (false, false, false) => Text::CodePrompt,
        (false, false, true) => Text::OneCodePrompt,
    }
    .text(lang)
    .to_string();
    let low = record
        .filter(|r| r.backup.is_some())
        .map(UserRecord::backup_codes_left)
        .filter(|left| *left <= crate::methods::code::backup_codes::LOW);
    let text = match low {
        Some(left) if !one_line => {
            format!("{}\n{prompt}", code_texts::backup_codes_low(lang, left))
        }
        _ => prompt,
    };
    Step::Prompt {
        text,
        echo: false,
        digits: true,
    }
}

pub(crate) async fn check_code(cx: &LoginContext, session: &Session, typed: &str) -> Step {
    // The module already refuses non-digits; a direct D-Bus caller gets the same as a wrong code.
    let code = mfa_proto::normalize_code(typed.as_bytes()).unwrap_or_default();
    if !session.enrolled {
        // Same wall time as a real check (no CPU), so an unknown user looks like a wrong code.
        heavy_check::decoy_check(cx, &code, cx.clock.unix_now()).await;
        return cx.check_unenrolled(session).await;
    }
    let (txn, record) = match open_record(cx, session).await {
        Ok(opened) => opened,
        Err(step) => return step,
    };
    crate::panic_inject::point("answer");
    let now = cx.clock.unix_now();
    let (record, check) = match heavy_check::check_on_lane(cx, session, record, &code, now).await {
        Ok(checked) => checked,
        Err(step) => return step,
    };
    if let Check::Accepted(method) = check {
        return cx.succeed(session, txn, record, method, now).await;
    }
    let outcome = if check == Check::Replayed {
        "denied-replayed"
    } else {
        "denied-wrong-code"
    };
    match cx
        .fail(session, txn, record, check.method(), outcome, now)
        .await
    {
        Some(step) => step,
        None if check == Check::Replayed && session.caller.uid == 0 => replayed(session),
        None => cx.wrong_code(session),
    }
}

/// A right code of a step already used, typed by an enrolled user through a root caller (sshd,
/// sudo, login): saying so leaks nothing (the user just proved knowledge of a recent code) and
/// tells them what to do. A non-root caller (anyone can run a screen locker's PAM) gets the
/// plain wrong-code text, so it cannot tell replays from wrong codes. Still a failure.
fn replayed(session: &Session) -> Step {
    let text = match session.render {
        Render::Lines => code_texts::Text::Replayed,
        Render::OneLine => code_texts::Text::OneReplayed,
    };
    Step::Denied {
        text: text.text(session.lang).to_string(),
    }
}
