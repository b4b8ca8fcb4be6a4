//! `Answer`: the menu token goes back to the menu, a number at the menu chooses a method, and
//! anything else is the answer of the method the login is in (it checks codes and counts
//! failures through the login context).

use super::{AuthError, Engine};
use crate::methods::prompts;
use crate::sessions::{Caller, Session, Stage};
use mfa_proto::{MENU_TOKEN, Step};

impl Engine {
    pub async fn answer(&self, caller: &Caller, id: &str, answer: &str) -> Result<Step, AuthError> {
        if answer.len() > mfa_proto::MAX_ANSWER_LEN {
            return Err(AuthError::InvalidArgs("answer too long".into()));
        }
        let _timer = crate::metrics::answer_timer();
        let mut session = self.take_session(caller, id)?;
        let typed = answer.trim();
        let step = if typed == MENU_TOKEN {
            self.abandon(&session.stage);
            prompts::menu_step(&mut session, None)
        } else if typed.is_empty() && self.at_code_prompt(&session) {
            self.empty_at_code_prompt(&mut session).await
        } else {
            session.empty_answers = 0;
            match session.stage.clone() {
                Stage::Menu => self.choose(&mut session, typed).await,
                Stage::In(id, state) => {
                    let method = crate::methods::get(id);
                    method.answer(&self.cx, &mut session, state, typed).await
                }
            }
        };
        self.keep_if_continuing(id, session, &step);
        Ok(step)
    }

    fn at_code_prompt(&self, session: &Session) -> bool {
        match &session.stage {
            Stage::In(id, state) => crate::methods::get(*id).asks_code(state),
            Stage::Menu => false,
        }
    }

    /// Enter with nothing typed at a code prompt: the user needs to see it again, or another
    /// way in. The first shows the same prompt, the second in a row the menu. Nothing is
    /// checked, counted or audited: it is not a wrong code.
    async fn empty_at_code_prompt(&self, session: &mut Session) -> Step {
        session.empty_answers = session.empty_answers.saturating_add(1);
        if session.empty_answers >= 2 {
            self.abandon(&session.stage);
            return prompts::menu_step(session, None);
        }
        // The same prompt as before: the code prompt reads the record (preferred code, backup
        // codes left), as when it was first shown.
        let record = self.cx.load(&session.user).await.ok().flatten();
        prompts::prompt_for(&self.cx, session, record.as_ref())
    }
}
