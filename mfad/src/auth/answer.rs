//! `Answer`: the menu token goes back to the menu, a number at the menu chooses a method, and
//! anything else is the answer of the method the login is in (it checks codes and counts
//! failures through the login context).

use super::{AuthError, Engine};
use crate::sessions::{Caller, Stage};
use mfa_proto::{MENU_TOKEN, Step};

impl Engine {
    pub async fn answer(&self, caller: &Caller, id: &str, answer: &str) -> Result<Step, AuthError> {
        if answer.len() > mfa_proto::MAX_ANSWER_LEN {
            return Err(AuthError::InvalidArgs("answer too long".into()));
        }
        let mut session = self.take_session(caller, id)?;
        let typed = answer.trim();
        let step = if typed == MENU_TOKEN {
            self.abandon(&session.stage);
            session.stage = Stage::Menu;
            self.menu_step(&session, None)
        } else {
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
}
