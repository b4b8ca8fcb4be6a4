//! The conversation around the methods: which methods a user is offered (enrolled, allowed
//! for the service, preferred first), the prompt of each stage, and the "other options" menu.

use super::Engine;
use crate::methods::{self, prompts};
use crate::sessions::{MethodOption, MethodState, Session, Stage};
use crate::store::UserRecord;
use crate::texts;
use mfa_proto::{Render, Step};

impl Engine {
    /// The user's methods for this service, preferred first. Unknown users get the code prompt
    /// alone, like a user who only has an app.
    pub(crate) fn options_for(
        &self,
        record: Option<&UserRecord>,
        service: &str,
    ) -> Vec<MethodOption> {
        let allowed = self.config().methods_for(service);
        let uniform = || MethodOption {
            method: methods::UNIFORM,
            target: String::new(),
        };
        let Some(record) = record.filter(|r| r.is_enrolled()) else {
            return vec![uniform()];
        };
        let mut options: Vec<MethodOption> = Vec::new();
        for name in self.offer_order(record, service) {
            let Some(method) = methods::named(&name) else {
                continue;
            };
            let Some(target) = method.offer(&self.cx, record) else {
                continue;
            };
            let permitted = allowed.iter().any(|a| method.answers_to(a));
            if permitted && !options.iter().any(|o| o.method == method.id()) {
                options.push(MethodOption {
                    method: method.id(),
                    target,
                });
            }
        }
        if options.is_empty() {
            // Nothing allowed here: still the uniform code prompt (and a wrong-code answer).
            options.push(uniform());
        }
        options
    }

    /// The order methods are offered in: a service that lists its methods sets the order, except
    /// that the method the user chose with `mfa prefer` comes first; otherwise the user's order.
    fn offer_order(&self, record: &UserRecord, service: &str) -> Vec<String> {
        let mine = crate::methods::enrolled::preferred_order(record);
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

    /// Set the first stage from the preferred option. A text is never sent before the user
    /// answers something.
    pub(crate) fn first_step(&self, session: &mut Session, record: Option<&UserRecord>) -> Step {
        let first = session
            .options
            .first()
            .map_or(methods::UNIFORM, |o| o.method);
        session.stage = Stage::In(first, MethodState::Ready);
        self.prompt_for(session, record)
    }

    /// The prompt of the session's current stage.
    pub(crate) fn prompt_for(&self, session: &Session, record: Option<&UserRecord>) -> Step {
        prompts::prompt_for(&self.cx, session, record)
    }

    /// An answer at the menu. On lines a number chooses; on one line "" takes the choice
    /// offered, "n" offers the next (wrapping), a number chooses directly.
    pub(crate) async fn choose(&self, session: &mut Session, typed: &str) -> Step {
        let count = session.options.len().max(1);
        let chosen = match (session.render, typed) {
            (Render::OneLine, "") => Some(session.menu_at),
            (Render::OneLine, "n" | "N") => {
                session.menu_at = (session.menu_at + 1) % count;
                return prompts::menu_shown(session, None);
            }
            _ => typed.parse::<usize>().ok().and_then(|n| n.checked_sub(1)),
        };
        match chosen.and_then(|i| session.options.get(i)).cloned() {
            Some(option) => {
                session.empty_answers = 0;
                methods::get(option.method).choose(&self.cx, session).await
            }
            None => {
                let note = match session.render {
                    Render::Lines => texts::Text::NotAnOption,
                    Render::OneLine => texts::Text::NotAnOptionShort,
                };
                prompts::menu_shown(session, Some(note.text(session.lang)))
            }
        }
    }

    /// Leaving a method's stage (to the menu, or the login ended): it stops listening.
    pub(crate) fn abandon(&self, stage: &Stage) {
        if let Stage::In(id, state) = stage {
            methods::get(*id).abandon(&self.cx, state);
        }
    }
}
