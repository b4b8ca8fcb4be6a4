//! The prompt of a login's stage: the "other options" menu, where each method writes its own
//! line, or the prompt of the method the login is in. Here, beside the registry, so that the
//! engine and the methods both reach it and neither names the other.

use super::one_line;
use crate::config::Language;
use crate::login_context::LoginContext;
use crate::sessions::{MethodOption, Session, Stage};
use crate::store::UserRecord;
use crate::texts::Text;
use mfa_proto::i18n::tr;
use mfa_proto::{Render, Step};

/// The numbered menu, as one prompt (sshd shows info text only together with a prompt). Each
/// method writes its own line (`Method::label`); numbers are always shown masked.
pub fn menu(lang: Language, options: &[MethodOption], note: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(note) = note {
        text.push_str(note);
        text.push('\n');
    }
    text.push_str(Text::ChooseHow.text(lang));
    text.push('\n');
    for (i, option) in options.iter().enumerate() {
        let label = super::get(option.method).label(lang, &option.target);
        text.push_str(&format!("  {}) {label}\n", i + 1));
    }
    text.push_str(Text::MenuNumber.text(lang));
    text
}

/// Back to the menu, at its first choice, with an optional note (why the login is back
/// there). The empty answers of the prompt left behind are forgotten.
pub fn menu_step(session: &mut Session, note: Option<&str>) -> Step {
    session.stage = Stage::Menu;
    session.menu_at = 0;
    session.empty_answers = 0;
    menu_shown(session, note)
}

/// The menu where the login stands in it: the numbered list, or (one line) the choice offered
/// now, with a short note in front while it fits.
pub fn menu_shown(session: &Session, note: Option<&str>) -> Step {
    match session.render {
        Render::Lines => Step::Prompt {
            text: menu(session.lang, &session.options, note),
            echo: true,
            digits: true,
        },
        // Not digits: "n" (next) and "" (this one) are answers here.
        Render::OneLine => Step::Prompt {
            text: one_line::join(note, menu_item(session)),
            echo: true,
            digits: false,
        },
    }
}

/// One choice of the menu on one line: "2/4 Text to ••78: Enter=yes n=next".
pub fn menu_item(session: &Session) -> String {
    let count = session.options.len();
    let at = session.menu_at.min(count.saturating_sub(1));
    let label = session.options.get(at).map_or_else(String::new, |option| {
        super::get(option.method).short_label(session.lang, &option.target)
    });
    tr!(
        session.lang,
        Text::MenuItem,
        pos = at + 1,
        count = count,
        label = label
    )
}

/// The prompt of the session's current stage.
pub fn prompt_for(cx: &LoginContext, session: &Session, record: Option<&UserRecord>) -> Step {
    match &session.stage {
        Stage::Menu => menu_shown(session, None),
        Stage::In(id, state) => super::get(*id).prompt(cx, session, state, record),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_proto::MethodId;

    #[test]
    fn the_menu_numbers_each_methods_own_line_in_the_sessions_language() {
        let options = [
            MethodOption {
                method: MethodId::Totp,
                target: String::new(),
            },
            MethodOption {
                method: MethodId::Sms,
                target: "+31 •••• ••78".into(),
            },
        ];
        assert_eq!(
            menu(Language::En, &options, Some("Note.")),
            "Note.\nChoose how to confirm this sign-in:\n  \
             1) Code from the authenticator app, or a backup code\n  \
             2) Text message to +31 •••• ••78\nNumber: "
        );
        assert!(menu(Language::Nl, &options, None).contains("  2) Sms naar +31 •••• ••78\n"));
    }
}
