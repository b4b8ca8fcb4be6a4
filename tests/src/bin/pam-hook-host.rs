//! A stand-in for sshd/sudo: `pam-hook-host CONFDIR SERVICE USER [ANSWER…]` runs
//! pam_authenticate then pam_setcred through real libpam and prints
//! `authenticate=<code> setcred=<code>`. If a panic crossed the module's boundary this process
//! would abort instead of printing, which is what tests/tests/panic_boundaries.rs looks for.

use mfa_cli::pam_app::{Conversation, Style, Transaction};
use std::collections::VecDeque;
use std::path::Path;
use std::process::ExitCode;

/// PAM_ESTABLISH_CRED, as sshd passes it.
const ESTABLISH_CRED: i32 = 2;

struct Answers(VecDeque<String>);

impl Conversation for Answers {
    fn prompt(&mut self, style: Style, _text: &str) -> Option<String> {
        if style.is_prompt() {
            self.0.pop_front()
        } else {
            Some(String::new())
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [confdir, service, user, answers @ ..] = args.as_slice() else {
        eprintln!("usage: pam-hook-host CONFDIR SERVICE USER [ANSWER...]");
        return ExitCode::from(2);
    };
    let mut conv = Answers(answers.iter().cloned().collect());
    let mut tx = match Transaction::start(service, user, Some(Path::new(confdir)), &mut conv) {
        Ok(tx) => tx,
        Err(outcome) => {
            eprintln!("pam_start failed: {}", outcome.code);
            return ExitCode::from(3);
        }
    };
    let authenticate = tx.authenticate(0).code;
    let setcred = tx.setcred(ESTABLISH_CRED).code;
    println!("authenticate={authenticate} setcred={setcred}");
    ExitCode::SUCCESS
}
