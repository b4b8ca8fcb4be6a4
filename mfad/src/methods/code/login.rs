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
use mfa_proto::Step;

/// The code prompt, naming the user's preferred method first (both are accepted at it).
/// Everything the user must read goes inside it (sshd shows info messages only with the
/// next prompt), including a warning when backup codes run low.
pub(crate) fn code_prompt(cx: &LoginContext, record: Option<&UserRecord>, with_menu: bool) -> Step {
    let lang = cx.lang_of(record);
    let prefers_backup = record.is_some_and(|r| {
        crate::methods::enrolled::preferred_order(r)
            .first()
            .is_some_and(|m| m == "backup")
    });
    let prompt = if prefers_backup {
        code_texts::Text::BackupPrompt
    } else if with_menu {
        code_texts::Text::CodePromptWithMenu
    } else {
        code_texts::Text::CodePrompt
    }
    .text(lang)
    .to_string();
    let text = match record
        .filter(|r| r.backup.is_some())
        .map(UserRecord::backup_codes_left)
    {
        Some(left) if left <= crate::methods::code::backup_codes::LOW => {
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
        None => cx.wrong_code(session),
    }
}
