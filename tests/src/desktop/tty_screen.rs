//! A console program in a real pseudo-terminal (tmux): `login`, `vlock`. Its screen is text, so
//! the tests wait for what it prints and keep the terminal's text as the screenshot.

use std::path::PathBuf;
use std::time::Duration;

use crate::desktop::screen::{LockScreen, ShotNames};
use crate::tmux::Tmux;
use crate::wait::try_wait_for;

/// How a terminal program shows the user got in.
pub enum SignedIn {
    /// The program ended with status 0 (`vlock`): the wrapper prints this.
    Exited,
    /// A shell runs as the user: `echo` of this marker plus `$(id -un)` prints it with the name.
    Shell { user: String },
}

pub struct TtyScreen {
    pub term: Tmux,
    names: ShotNames,
    signed_in: SignedIn,
    /// The screen right after the last answer (new prompts are counted from there).
    last: String,
    begin: Begin,
    attempts: u32,
}

/// What starts an attempt on this program.
pub enum Begin {
    /// `login NAME` asks for the password at once; after a refused attempt it asks `login:`.
    LoginName(String),
    /// vlock waits with "Please press [ENTER] to unlock." before each attempt, and after a
    /// refused one asks for root's password first.
    PressEnter,
}

impl TtyScreen {
    pub fn new(term: Tmux, names: ShotNames, signed_in: SignedIn, begin: Begin) -> TtyScreen {
        TtyScreen {
            term,
            names,
            signed_in,
            last: String::new(),
            begin,
            attempts: 0,
        }
    }

    /// Waits until `text` appears more often than it did after the last answer.
    fn wait_new(&self, text: &str, secs: u64) -> Option<String> {
        let before = self.last.matches(text).count();
        try_wait_for(Duration::from_secs(secs), || {
            Some(self.term.screen()).filter(|s| s.matches(text).count() > before)
        })
    }
}

const SHELL_MARKER: &str = "SIGNED-IN-AS-";

/// The last line written is a shell's `$` prompt.
fn shows_shell_prompt(screen: &str) -> bool {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|last| last.trim_end().ends_with('$'))
}

impl LockScreen for TtyScreen {
    fn wait_prompt(&mut self, hint: &str) {
        if self.wait_new(hint, 20).is_none() {
            panic!(
                "waited for a new prompt with {hint:?}; the terminal shows:\n{}",
                self.term.screen()
            );
        }
    }

    fn answer(&mut self, text: &str) {
        self.last = self.term.screen();
        self.term.type_line(text);
    }

    fn shot(&mut self, moment: &str) -> PathBuf {
        let screen = self.term.screen();
        self.names.save_text(moment, &screen)
    }

    fn wait_unlocked(&mut self, timeout: Duration) -> bool {
        match &self.signed_in {
            SignedIn::Exited => try_wait_for(timeout, || {
                self.term.screen().contains("EXIT=0").then_some(())
            })
            .is_some(),
            SignedIn::Shell { user } => {
                let marker = format!("{SHELL_MARKER}{user}");
                // The shell's prompt first (login flushes what was typed before it).
                let shell = try_wait_for(timeout, || {
                    shows_shell_prompt(&self.term.screen()).then_some(())
                });
                if shell.is_none() {
                    return false;
                }
                // The typed line shows only the unexpanded `$(id -un)`.
                self.term
                    .type_line(&format!("echo {SHELL_MARKER}$(id -un)"));
                try_wait_for(timeout, || {
                    self.term.screen().contains(&marker).then_some(())
                })
                .is_some()
            }
        }
    }

    fn still_locked(&mut self) -> bool {
        let screen = self.term.screen();
        match &self.signed_in {
            SignedIn::Exited => !screen.contains("EXIT="),
            SignedIn::Shell { user } => {
                !screen.contains(&format!("{SHELL_MARKER}{user}")) && !shows_shell_prompt(&screen)
            }
        }
    }

    fn begin_attempt(&mut self) {
        self.attempts += 1;
        match &self.begin {
            Begin::LoginName(_) if self.attempts == 1 => {}
            Begin::LoginName(user) => {
                let user = user.clone();
                self.wait_prompt("login:");
                self.answer(&user);
            }
            Begin::PressEnter => {
                if self.attempts > 1 {
                    // After a refusal vlock offers root's password: Enter skips it.
                    self.wait_prompt("root's Password:");
                    self.answer("");
                }
                self.wait_prompt("press [ENTER]");
                self.answer("");
            }
        }
    }

    fn describe(&mut self) -> String {
        format!("--- terminal ---\n{}", self.term.screen())
    }
}
