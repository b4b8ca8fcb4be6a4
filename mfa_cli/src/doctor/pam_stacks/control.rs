//! A line's control field as libpam reads it: the keywords and `[value=action …]`, and what
//! libpam does after a module returned.

use std::collections::BTreeMap;

use super::messages::Msg;
use crate::i18n::tr;
use mfa_config::Language;

/// What libpam does after a module returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Ignore,
    Ok,
    Bad,
    Die,
    Done,
    Reset,
    /// Skip the next N modules.
    Jump(usize),
}

/// Why a control field is not one libpam accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlError {
    UnknownControl { text: String },
    NotValueAction { pair: String, text: String },
    UnknownAction { action: String, text: String },
}

impl ControlError {
    /// The reason in `lang` (the words of the line quoted as they are).
    pub fn text(&self, lang: Language) -> String {
        match self {
            ControlError::UnknownControl { text } => {
                tr!(lang, Msg::UnknownControl, text = format!("{text:?}"))
            }
            ControlError::NotValueAction { pair, text } => tr!(
                lang,
                Msg::NotValueAction,
                pair = format!("{pair:?}"),
                text = format!("{text:?}")
            ),
            ControlError::UnknownAction { action, text } => tr!(
                lang,
                Msg::UnknownAction,
                action = format!("{action:?}"),
                text = format!("{text:?}")
            ),
        }
    }
}

/// A control field: `required`, `requisite`, `sufficient`, `optional`, or `[value=action …]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    actions: BTreeMap<String, Action>,
    default: Action,
}

impl Control {
    /// Parses a control field (keywords in their bracket form, as pam.conf(5) defines them).
    pub fn parse(text: &str) -> Result<Control, ControlError> {
        let brackets = match text.to_ascii_lowercase().as_str() {
            "required" => "success=ok new_authtok_reqd=ok ignore=ignore default=bad".to_owned(),
            "requisite" => "success=ok new_authtok_reqd=ok ignore=ignore default=die".to_owned(),
            "sufficient" => "success=done new_authtok_reqd=done default=ignore".to_owned(),
            "optional" => "success=ok new_authtok_reqd=ok default=ignore".to_owned(),
            _ => text
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .ok_or_else(|| ControlError::UnknownControl {
                    text: text.to_owned(),
                })?
                .to_owned(),
        };
        // libpam leaves values without an action, and a missing default, as "bad".
        let mut control = Control {
            actions: BTreeMap::new(),
            default: Action::Bad,
        };
        for pair in brackets.split_whitespace() {
            let (value, action) =
                pair.split_once('=')
                    .ok_or_else(|| ControlError::NotValueAction {
                        pair: pair.to_owned(),
                        text: text.to_owned(),
                    })?;
            let action = match action.to_ascii_lowercase().as_str() {
                "ignore" => Action::Ignore,
                "ok" => Action::Ok,
                "bad" => Action::Bad,
                "die" => Action::Die,
                "done" => Action::Done,
                "reset" => Action::Reset,
                n => match n.parse::<usize>() {
                    Ok(n) if n > 0 => Action::Jump(n),
                    _ => {
                        return Err(ControlError::UnknownAction {
                            action: action.to_owned(),
                            text: text.to_owned(),
                        });
                    }
                },
            };
            let value = value.to_ascii_lowercase();
            if value == "default" {
                control.default = action;
            } else {
                control.actions.insert(value, action);
            }
        }
        Ok(control)
    }

    /// The action for a module's return value (`success`, `auth_err`, …).
    pub fn action(&self, ret: &str) -> Action {
        self.actions.get(ret).copied().unwrap_or(self.default)
    }
}
