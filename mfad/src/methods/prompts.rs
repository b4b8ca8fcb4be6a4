//! The prompt of a login's stage: the "other options" menu, where each method writes its own
//! line, or the prompt of the method the login is in. Here, beside the registry, so that the
//! engine and the methods both reach it and neither names the other.

use crate::config::Language;
use crate::login_context::LoginContext;
use crate::sessions::{MethodOption, Session, Stage};
use crate::store::UserRecord;
use crate::texts::Text;
use mfa_proto::Step;

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

/// The menu as the session's next step, with an optional note above it (why the login is
/// back at the menu).
pub fn menu_step(session: &Session, note: Option<&str>) -> Step {
    Step::Prompt {
        text: menu(session.lang, &session.options, note),
        echo: true,
        digits: true,
    }
}

/// The prompt of the session's current stage.
pub fn prompt_for(cx: &LoginContext, session: &Session, record: Option<&UserRecord>) -> Step {
    match &session.stage {
        Stage::Menu => menu_step(session, None),
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
