//! A PAM conversation on the terminal: messages are printed on stdout, answers read from stdin
//! (without echo for echo-off prompts when stdin is a terminal, as a plain line otherwise).

use std::io::{BufRead, Read, Write};
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::signal::{self, SigHandler, Signal};
use nix::sys::termios::{self, LocalFlags, SetArg, Termios};
use zeroize::Zeroize;

use super::messages::Msg;
use crate::pam_app::{Conversation, MAX_RESPONSE_LEN, Style};
use mfa_config::Language;

/// Renders every message on stdout and reads answers from stdin.
pub struct TerminalConversation {
    stdin_is_tty: bool,
    /// The language of the conversation's own words (the PAM messages come as they are).
    lang: Language,
}

impl Default for TerminalConversation {
    fn default() -> Self {
        Self::new()
    }
}

impl TerminalConversation {
    /// A conversation whose own words are English.
    pub fn new() -> TerminalConversation {
        TerminalConversation::in_language(Language::En)
    }

    /// A conversation whose own words are in `lang`.
    pub fn in_language(lang: Language) -> TerminalConversation {
        let stdin_is_tty = nix::unistd::isatty(std::io::stdin()).unwrap_or(false);
        TerminalConversation { stdin_is_tty, lang }
    }
}

impl Conversation for TerminalConversation {
    fn prompt(&mut self, style: Style, text: &str) -> Option<String> {
        let mut out = std::io::stdout().lock();
        match style {
            Style::TextInfo | Style::ErrorMsg => {
                let _ = writeln!(out, "{text}");
                let _ = out.flush();
                Some(String::new())
            }
            Style::EchoOn | Style::EchoOff => {
                let _ = write!(out, "{text}");
                let _ = out.flush();
                drop(out);
                let answer = if style == Style::EchoOff && self.stdin_is_tty {
                    let guard = EchoGuard::disable();
                    let answer = read_answer();
                    drop(guard);
                    answer
                } else {
                    read_answer()
                };
                // Without a terminal nothing echoes the answer's newline (with echo off the
                // terminal still echoes it: ECHONL): end the prompt's line for a readable
                // transcript.
                if !self.stdin_is_tty || answer.is_none() {
                    println!();
                }
                if answer.is_none() {
                    eprintln!("mfa: {}", Msg::NoAnswer.text(self.lang));
                }
                answer
            }
        }
    }
}

/// One line from stdin without its line ending; `None` at end of input, on invalid UTF-8 or
/// when longer than PAM accepts. The buffer is wiped after use.
fn read_answer() -> Option<String> {
    let mut buf = Vec::with_capacity(MAX_RESPONSE_LEN + 2);
    let stdin = std::io::stdin();
    let read = stdin
        .lock()
        .take(MAX_RESPONSE_LEN as u64 + 2)
        .read_until(b'\n', &mut buf);
    let result = match read {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            let mut line: &[u8] = &buf;
            if let Some(rest) = line.strip_suffix(b"\n") {
                line = rest;
            }
            if let Some(rest) = line.strip_suffix(b"\r") {
                line = rest;
            }
            if line.len() > MAX_RESPONSE_LEN {
                None
            } else {
                std::str::from_utf8(line).ok().map(str::to_owned)
            }
        }
    };
    buf.zeroize();
    result
}

/// Set while echo is off, so a signal handler knows to put the terminal back.
static ECHO_IS_OFF: AtomicBool = AtomicBool::new(false);
/// The two local flags echo-off changes, as they were: all a signal handler needs to restore
/// (it cannot lock or allocate, so it does not get the whole saved settings).
static SAVED_ECHO: AtomicBool = AtomicBool::new(true);
static SAVED_ECHONL: AtomicBool = AtomicBool::new(false);
const RESTORE_SIGNALS: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];

extern "C" fn restore_and_reraise(sig: libc::c_int) {
    if ECHO_IS_OFF.swap(false, Ordering::SeqCst) {
        // SAFETY: descriptors 0 and 1 stay open for the whole run; borrowed for this call only.
        let (stdin, stdout) = unsafe {
            (
                BorrowedFd::borrow_raw(libc::STDIN_FILENO),
                BorrowedFd::borrow_raw(libc::STDOUT_FILENO),
            )
        };
        // tcgetattr, tcsetattr and write are async-signal-safe; nix's Termios does not allocate.
        if let Ok(mut settings) = termios::tcgetattr(stdin) {
            let flags = &mut settings.local_flags;
            flags.set(LocalFlags::ECHO, SAVED_ECHO.load(Ordering::SeqCst));
            flags.set(LocalFlags::ECHONL, SAVED_ECHONL.load(Ordering::SeqCst));
            let _ = termios::tcsetattr(stdin, SetArg::TCSANOW, &settings);
        }
        let _ = nix::unistd::write(stdout, b"\n");
    }
    if let Ok(sig) = Signal::try_from(sig) {
        // SAFETY: back to the default action (no handler code runs), then deliver it again.
        let _ = unsafe { signal::signal(sig, SigHandler::SigDfl) };
        let _ = signal::raise(sig);
    }
}

/// Turns terminal echo off (keeping the echo of newline) until dropped, also restoring it if the
/// process is interrupted meanwhile.
struct EchoGuard {
    saved: Termios,
    old_handlers: Vec<(Signal, SigHandler)>,
}

impl EchoGuard {
    fn disable() -> Option<EchoGuard> {
        let stdin = std::io::stdin();
        let saved = termios::tcgetattr(&stdin).ok()?;
        SAVED_ECHO.store(
            saved.local_flags.contains(LocalFlags::ECHO),
            Ordering::SeqCst,
        );
        SAVED_ECHONL.store(
            saved.local_flags.contains(LocalFlags::ECHONL),
            Ordering::SeqCst,
        );
        ECHO_IS_OFF.store(true, Ordering::SeqCst);
        let handler = SigHandler::Handler(restore_and_reraise);
        let old_handlers = RESTORE_SIGNALS
            .iter()
            .filter_map(|&sig| {
                // SAFETY: a plain handler that only calls async-signal-safe functions.
                let old = unsafe { signal::signal(sig, handler) };
                old.ok().map(|old| (sig, old))
            })
            .collect();
        let mut quiet = saved.clone();
        quiet.local_flags.remove(LocalFlags::ECHO);
        quiet.local_flags.insert(LocalFlags::ECHONL);
        let _ = termios::tcsetattr(&stdin, SetArg::TCSANOW, &quiet);
        Some(EchoGuard {
            saved,
            old_handlers,
        })
    }
}

impl Drop for EchoGuard {
    fn drop(&mut self) {
        ECHO_IS_OFF.store(false, Ordering::SeqCst);
        let _ = termios::tcsetattr(std::io::stdin(), SetArg::TCSANOW, &self.saved);
        for &(sig, old) in &self.old_handlers {
            // SAFETY: puts back the handler that was there before `disable`.
            let _ = unsafe { signal::signal(sig, old) };
        }
    }
}
