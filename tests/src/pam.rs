//! A per-test PAM stack around the real `libpam_mfa.so`, driven through real libpam
//! (`pam_start_confdir`) with a scripted conversation.

use std::collections::VecDeque;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use mfa_cli::pam_app::{self, Conversation, Request, Style};
use tempfile::TempDir;

use crate::artifacts::build_once;
use crate::bus::Bus;
use crate::daemon::Daemon;

/// Everything the scripted conversation saw during one login.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// Every message in order: prompts (answered or not), infos and errors.
    pub seen: Vec<(Style, String)>,
    /// Beside `seen`, one entry per message: the answer given to it (None for infos, errors and
    /// prompts left unanswered).
    pub answers: Vec<Option<String>>,
    /// Prompts that came when no answer was left (each made the conversation fail).
    pub unanswered: Vec<String>,
    /// Answers the stack never asked for.
    pub unused_answers: Vec<String>,
}

impl Transcript {
    /// The texts of all prompts (echo on or off), in order.
    pub fn prompts(&self) -> Vec<&str> {
        self.seen
            .iter()
            .filter(|(style, _)| style.is_prompt())
            .map(|(_, text)| text.as_str())
            .collect()
    }

    /// True when any message (of any style) contains `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.seen.iter().any(|(_, text)| text.contains(needle))
    }

    /// How many prompts contain `needle`.
    pub fn count_prompts_containing(&self, needle: &str) -> usize {
        self.prompts().iter().filter(|p| p.contains(needle)).count()
    }

    /// True when the conversation ran out of answers at some prompt.
    pub fn ran_out_of_answers(&self) -> bool {
        !self.unanswered.is_empty()
    }
}

impl fmt::Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "--- PAM conversation ---")?;
        for (style, text) in &self.seen {
            writeln!(f, "{style:<8} {text:?}")?;
        }
        for text in &self.unanswered {
            writeln!(
                f,
                "NO ANSWER LEFT for prompt {text:?} (conversation failed)"
            )?;
        }
        if !self.unused_answers.is_empty() {
            writeln!(f, "unused answers: {:?}", self.unused_answers)?;
        }
        write!(f, "------------------------")
    }
}

/// A conversation that answers prompts from a queue and records everything. A prompt with no
/// answer left makes it return `None` (→ `PAM_CONV_ERR` for the module), is recorded in
/// [`Transcript::unanswered`] and is reported on stderr.
///
/// Answers left unused fail the test when the conversation is finished or dropped (a login that
/// ended before the script did), unless it was built [`allowing_unused_answers`].
///
/// [`allowing_unused_answers`]: ScriptedConversation::allowing_unused_answers
#[derive(Default)]
pub struct ScriptedConversation {
    answers: VecDeque<String>,
    transcript: Transcript,
    /// Supplies the answer where the script says [`TEXTED_CODE`] (known only mid-login), given
    /// the prompt it answers.
    resolver: Option<Resolver>,
    /// The test expects the login may end with answers left (they go to
    /// [`Transcript::unused_answers`] instead of failing the test).
    unused_answers_allowed: bool,
}

/// Answers a [`TEXTED_CODE`] slot, given the prompt it answers.
type Resolver = Box<dyn FnMut(&str) -> String>;

/// An answer in a script that stands for "the code just texted to the user".
pub const TEXTED_CODE: &str = "<texted code>";

impl ScriptedConversation {
    pub fn new(answers: &[&str]) -> ScriptedConversation {
        ScriptedConversation {
            answers: answers.iter().map(|a| a.to_string()).collect(),
            transcript: Transcript::default(),
            resolver: None,
            unused_answers_allowed: false,
        }
    }

    /// This script may hold more answers than the login asks for: the rest is reported in
    /// [`Transcript::unused_answers`] and does not fail the test.
    pub fn allowing_unused_answers(mut self) -> ScriptedConversation {
        self.unused_answers_allowed = true;
        self
    }

    /// As [`ScriptedConversation::new`]; `resolver` answers where the script says [`TEXTED_CODE`].
    pub fn with_resolver(
        answers: &[&str],
        mut resolver: impl FnMut() -> String + 'static,
    ) -> ScriptedConversation {
        ScriptedConversation::with_prompt_resolver(answers, move |_| resolver())
    }

    /// As [`ScriptedConversation::with_resolver`], for answers that depend on the prompt (the
    /// digits a number-matching prompt shows).
    pub fn with_prompt_resolver(
        answers: &[&str],
        resolver: impl FnMut(&str) -> String + 'static,
    ) -> ScriptedConversation {
        let mut conv = ScriptedConversation::new(answers);
        conv.resolver = Some(Box::new(resolver));
        conv
    }

    /// The transcript so far, with the answers never asked for (which fail the test unless
    /// [`ScriptedConversation::allowing_unused_answers`]).
    pub fn finish(mut self) -> Transcript {
        self.assert_consumed();
        let mut transcript = std::mem::take(&mut self.transcript);
        transcript.unused_answers = self.answers.drain(..).collect();
        transcript
    }

    /// Fails the test when answers are left and the script did not allow it (not while the test
    /// is already failing, so the first panic is the one reported).
    fn assert_consumed(&self) {
        if self.unused_answers_allowed || self.answers.is_empty() || std::thread::panicking() {
            return;
        }
        panic!(
            "the login ended with scripted answers never asked for: {:?}\n{}",
            self.answers, self.transcript
        );
    }
}

impl Drop for ScriptedConversation {
    fn drop(&mut self) {
        self.assert_consumed();
    }
}

impl Conversation for ScriptedConversation {
    fn prompt(&mut self, style: Style, text: &str) -> Option<String> {
        self.transcript.seen.push((style, text.to_string()));
        if !style.is_prompt() {
            self.transcript.answers.push(None);
            return Some(String::new());
        }
        let answer = match self.answers.pop_front() {
            Some(answer) if answer == TEXTED_CODE => {
                self.resolver.as_mut().map(|resolve| resolve(text))
            }
            Some(answer) => Some(answer),
            None => {
                eprintln!("SCRIPTED CONVERSATION: no answer left for {style} prompt {text:?}");
                self.transcript.unanswered.push(text.to_string());
                None
            }
        };
        self.transcript.answers.push(answer.clone());
        answer
    }
}

/// What goes into a stack written by [`PamStack::with_options`].
#[derive(Debug, Clone)]
pub struct StackOptions {
    /// Service (file) name. Default `mfa-test`.
    pub service: String,
    /// Control of the pam_mfa line. Default `required`.
    pub control: String,
    /// Extra module arguments after `bus=… daemon_uid=…` (e.g. `timeout=2`).
    pub module_args: Vec<String>,
    /// Add `nodelay` (no pam_fail_delay). Default true.
    pub nodelay: bool,
    /// Use this `bus=` address instead of the bus's (e.g. a dead socket).
    pub bus_address: Option<String>,
    /// Use this `daemon_uid=` instead of the daemon's (e.g. a wrong owner).
    pub daemon_uid: Option<u32>,
    /// Lines before the pam_mfa line (e.g. a pam_matrix password step).
    pub before: Vec<String>,
    /// Lines after the pam_mfa line.
    pub after: Vec<String>,
    /// The account part. Default `account required pam_permit.so`.
    pub account: String,
}

impl Default for StackOptions {
    fn default() -> StackOptions {
        StackOptions {
            service: "mfa-test".to_string(),
            control: "required".to_string(),
            module_args: Vec::new(),
            nodelay: true,
            bus_address: None,
            daemon_uid: None,
            before: Vec::new(),
            after: Vec::new(),
            account: "account required pam_permit.so".to_string(),
        }
    }
}

/// pam_wrapper's fake password module (`passdb=FILE`, lines `user:password:service`).
pub const PAM_MATRIX: &str = "/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so";

/// A PAM configuration directory of its own (tests run in parallel threads) with one service.
pub struct PamStack {
    dir: TempDir,
    service: String,
}

impl PamStack {
    /// `auth required <libpam_mfa.so> bus=<bus> daemon_uid=<daemon's uid> nodelay` +
    /// `account required pam_permit.so`, as service `mfa-test`.
    pub fn new(bus: &Bus, daemon: &Daemon) -> PamStack {
        PamStack::with_options(bus, daemon.uid(), StackOptions::default())
    }

    /// As [`PamStack::new`] with extra module arguments, e.g. `&["timeout=2"]`.
    pub fn with_args(bus: &Bus, daemon: &Daemon, args: &[&str]) -> PamStack {
        let opts = StackOptions {
            module_args: args.iter().map(|a| a.to_string()).collect(),
            ..StackOptions::default()
        };
        PamStack::with_options(bus, daemon.uid(), opts)
    }

    /// A stack built from `opts` around the real module.
    pub fn with_options(bus: &Bus, daemon_uid: u32, opts: StackOptions) -> PamStack {
        let module = &build_once().pam_module;
        let mut args = vec![
            format!(
                "bus={}",
                opts.bus_address.as_deref().unwrap_or(bus.address())
            ),
            format!("daemon_uid={}", opts.daemon_uid.unwrap_or(daemon_uid)),
        ];
        if opts.nodelay {
            args.push("nodelay".to_string());
        }
        args.extend(opts.module_args.iter().cloned());
        let mut text = String::new();
        for line in &opts.before {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&format!(
            "auth {} {} {}\n",
            opts.control,
            module.display(),
            args.join(" ")
        ));
        for line in &opts.after {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&opts.account);
        text.push('\n');
        PamStack::from_text(&opts.service, &text)
    }

    /// A stack written verbatim (modules named by absolute path, or found in the system's
    /// module directory like `pam_permit.so`).
    pub fn from_text(service: &str, text: &str) -> PamStack {
        let dir = tempfile::Builder::new()
            .prefix("mfa-pam-")
            .tempdir()
            .expect("temp dir for the PAM stack");
        fs::write(dir.path().join(service), text).expect("write PAM service file");
        PamStack {
            dir,
            service: service.to_string(),
        }
    }

    /// Writes another file into the stack's directory (a passdb, a second service…).
    pub fn write_file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, contents).expect("write file in PAM dir");
        path
    }

    /// The directory to pass to `pam_start_confdir` / `mfa test-login --pam-dir`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The service name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The service file's contents.
    pub fn text(&self) -> String {
        fs::read_to_string(self.dir.path().join(&self.service)).unwrap_or_default()
    }

    /// Runs `pam_authenticate` + `pam_acct_mgmt` for `user`, answering prompts with `answers`
    /// in order. Returns the PAM code and everything the conversation saw.
    pub fn login(&self, user: &str, answers: &[&str]) -> (i32, Transcript) {
        self.login_from(user, answers, Some("192.0.2.10"), Some("ssh"))
    }

    /// As [`PamStack::login`] with the given PAM_RHOST and PAM_TTY (None = not set).
    pub fn login_from(
        &self,
        user: &str,
        answers: &[&str],
        rhost: Option<&str>,
        tty: Option<&str>,
    ) -> (i32, Transcript) {
        // The answers a user would type: a login may end before it asks for them all (a locked
        // account, a daemon that is down), and the tests read that from the transcript.
        let mut conv = ScriptedConversation::new(answers).allowing_unused_answers();
        let req = Request {
            service: &self.service,
            user,
            confdir: Some(self.dir.path()),
            rhost,
            tty,
        };
        let outcome = pam_app::authenticate(&req, &mut conv, true);
        (outcome.code, conv.finish())
    }
}

impl PamStack {
    /// A login answered by `conv` (e.g. [`ScriptedConversation::with_resolver`]).
    pub fn login_with(&self, user: &str, mut conv: ScriptedConversation) -> (i32, Transcript) {
        let req = Request {
            service: &self.service,
            user,
            confdir: Some(self.dir.path()),
            rhost: Some("192.0.2.10"),
            tty: Some("ssh"),
        };
        let outcome = pam_app::authenticate(&req, &mut conv, true);
        (outcome.code, conv.finish())
    }

    /// `n` logins of `user` answering `answer`, released at the same instant; their PAM codes.
    pub fn race(self: &std::sync::Arc<Self>, user: &str, answer: &str, n: usize) -> Vec<i32> {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let (pam, barrier) = (self.clone(), barrier.clone());
                let (user, answer) = (user.to_string(), answer.to_string());
                std::thread::spawn(move || {
                    barrier.wait();
                    pam.login(&user, &[&answer]).0
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("login thread"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "scripted answers never asked for")]
    fn a_script_that_ends_with_answers_left_fails_the_test() {
        let mut conv = ScriptedConversation::new(&["123456", "extra"]);
        conv.prompt(Style::EchoOff, "Verification code: ");
        conv.finish();
    }

    #[test]
    #[should_panic(expected = "scripted answers never asked for")]
    fn a_script_dropped_with_answers_left_fails_the_test() {
        let _conv = ScriptedConversation::new(&["123456"]);
    }

    #[test]
    fn a_script_allowing_unused_answers_reports_them_in_the_transcript() {
        let mut conv = ScriptedConversation::new(&["123456", "extra"]).allowing_unused_answers();
        assert_eq!(
            conv.prompt(Style::EchoOff, "Verification code: ")
                .as_deref(),
            Some("123456")
        );
        let transcript = conv.finish();
        assert_eq!(transcript.unused_answers, vec!["extra".to_string()]);
        assert_eq!(transcript.answers, vec![Some("123456".to_string())]);
    }
}
