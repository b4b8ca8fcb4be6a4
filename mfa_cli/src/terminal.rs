//! A PAM conversation on the terminal: messages are printed on stdout, answers read from stdin
//! (without echo for echo-off prompts when stdin is a terminal, as a plain line otherwise).

use std::io::{BufRead, Read, Write};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, Ordering};

use super::messages::Msg;
use mfa_config::Language;
use crate::pam_app::{Conversation, MAX_RESPONSE_LEN, Style};

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
        // SAFETY: isatty only inspects the descriptor.
        let stdin_is_tty = unsafe { libc::isatty(libc::STDIN_FILENO) } == 1;
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
    for b in buf.iter_mut() {
        // SAFETY: valid &mut u8.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    result
}

/// Terminal settings to put back if a signal arrives while echo is off.
static mut SAVED: MaybeUninit<libc::termios> = MaybeUninit::uninit();
static ECHO_IS_OFF: AtomicBool = AtomicBool::new(false);
const RESTORE_SIGNALS: [libc::c_int; 4] =
    [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

extern "C" fn restore_and_reraise(sig: libc::c_int) {
    if ECHO_IS_OFF.swap(false, Ordering::SeqCst) {
        // SAFETY: SAVED was written before ECHO_IS_OFF was set; tcsetattr, write, signal and
        // raise are async-signal-safe.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, (&raw const SAVED).cast());
            libc::write(libc::STDOUT_FILENO, b"\n".as_ptr().cast(), 1);
        }
    }
    // SAFETY: back to the default action, then deliver the signal again.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// Turns terminal echo off (keeping the echo of newline) until dropped, also restoring it if the
/// process is interrupted meanwhile.
struct EchoGuard {
    saved: libc::termios,
    old_handlers: Vec<(libc::c_int, libc::sighandler_t)>,
}

impl EchoGuard {
    fn disable() -> Option<EchoGuard> {
        let mut saved = MaybeUninit::<libc::termios>::uninit();
        // SAFETY: fd 0 is a terminal (checked by the caller); tcgetattr fills `saved` on success.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, saved.as_mut_ptr()) } != 0 {
            return None;
        }
        // SAFETY: initialised by the successful tcgetattr.
        let saved = unsafe { saved.assume_init() };
        // SAFETY: single-threaded CLI; the handler reads SAVED only after ECHO_IS_OFF is set.
        unsafe { (&raw mut SAVED).write(MaybeUninit::new(saved)) };
        ECHO_IS_OFF.store(true, Ordering::SeqCst);
        let handler = restore_and_reraise as extern "C" fn(libc::c_int) as libc::sighandler_t;
        let old_handlers = RESTORE_SIGNALS
            .iter()
            // SAFETY: installing a plain handler that only calls async-signal-safe functions.
            .map(|&sig| (sig, unsafe { libc::signal(sig, handler) }))
            .collect();
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: valid termios for fd 0.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &quiet) };
        Some(EchoGuard {
            saved,
            old_handlers,
        })
    }
}

impl Drop for EchoGuard {
    fn drop(&mut self) {
        ECHO_IS_OFF.store(false, Ordering::SeqCst);
        // SAFETY: restores the settings read in `disable`, then the previous handlers.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
            for &(sig, old) in &self.old_handlers {
                libc::signal(sig, old);
            }
        }
    }
}
