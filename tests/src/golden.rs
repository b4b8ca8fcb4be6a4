//! Golden conversation transcripts: what a user sees and types, recorded once into
//! `tests/golden/<name>.txt` and compared byte for byte on every later run, so a restructure that
//! changes a text, an order or a result shows up as a readable diff.
//!
//! A missing file, or `MFA_UPDATE_GOLDEN=1`, writes the file instead of comparing. What really
//! varies from run to run (codes, secrets, numbers, times) is replaced by placeholders through
//! [`normalise`] before the comparison; texts never are.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Output;

use crate::golden_diff::line_diff;
pub use crate::golden_normalise::normalise;
use crate::pam::Transcript;

/// One scenario's transcript, built section by section and then checked with
/// [`GoldenTranscript::assert_matches`].
#[derive(Debug, Default)]
pub struct GoldenTranscript {
    text: String,
}

impl GoldenTranscript {
    pub fn new() -> GoldenTranscript {
        GoldenTranscript::default()
    }

    /// A PAM login: each message as `<style>: <text>` (continuation lines start with `| `),
    /// each answer as `> <answer>` (a bare `>` is Enter on an empty line), then the result.
    pub fn login(&mut self, title: &str, rc: i32, transcript: &Transcript) -> &mut Self {
        self.section(title);
        for (i, (style, text)) in transcript.seen.iter().enumerate() {
            let mut lines = text.split('\n');
            let first = lines.next().unwrap_or_default();
            self.line(&format!("{style}: {first}"));
            for more in lines {
                self.line(&format!("| {more}"));
            }
            if let Some(Some(answer)) = transcript.answers.get(i) {
                let shown = if answer.is_empty() {
                    ">".to_string()
                } else {
                    format!("> {answer}")
                };
                self.line(&shown);
            }
        }
        for text in &transcript.unanswered {
            self.line(&format!("(no answer left for {text:?})"));
        }
        for text in &transcript.unused_answers {
            self.line(&format!("(answer never asked for: {text:?})"));
        }
        self.line(&format!("result: {}", pam_code_name(rc)));
        self
    }

    /// A terminal session (a tmux screen, prompts and typed echo as the user saw them).
    pub fn terminal(&mut self, title: &str, screen: &str) -> &mut Self {
        self.section(title);
        let trimmed: Vec<&str> = screen.lines().map(str::trim_end).collect();
        let end = trimmed
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(0, |i| i + 1);
        for line in &trimmed[..end] {
            self.line(line);
        }
        self
    }

    /// A command's exit status, standard output and standard error.
    pub fn output(&mut self, title: &str, out: &Output) -> &mut Self {
        self.section(title);
        self.line(&format!("exit: {}", out.status.code().unwrap_or(-1)));
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            self.line(&format!("{name}:"));
            for line in String::from_utf8_lossy(bytes).lines() {
                self.line(&format!("  {}", line.trim_end()));
            }
        }
        self
    }

    /// The normalised text as it is (or will be) stored.
    pub fn text(&self) -> String {
        normalise(&self.text)
    }

    /// Compares with `tests/golden/<name>.txt`; writes it when missing or when
    /// `MFA_UPDATE_GOLDEN=1`. A difference fails with a line diff (`-` golden, `+` now).
    pub fn assert_matches(&self, name: &str) {
        let path = golden_dir().join(format!("{name}.txt"));
        let now = self.text();
        let update = std::env::var("MFA_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
        match std::fs::read_to_string(&path) {
            Ok(golden) if !update => {
                assert!(
                    golden == now,
                    "the transcript differs from {} (- golden, + now; MFA_UPDATE_GOLDEN=1 \
                     rewrites it):\n{}",
                    path.display(),
                    line_diff(&golden, &now)
                );
            }
            _ => {
                std::fs::create_dir_all(golden_dir()).expect("create tests/golden");
                std::fs::write(&path, &now)
                    .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
                eprintln!("golden transcript written: {}", path.display());
            }
        }
    }

    fn section(&mut self, title: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.line(&format!("=== {title} ==="));
    }

    fn line(&mut self, line: &str) {
        let _ = writeln!(self.text, "{line}");
    }
}

/// `tests/golden/` in the source tree.
pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// `PAM_SUCCESS`, `PAM_AUTH_ERR`… for a PAM return code (the number when it has no name here).
pub fn pam_code_name(rc: i32) -> String {
    use crate::codes::*;
    let name = match rc {
        PAM_SUCCESS => "PAM_SUCCESS",
        PAM_SYSTEM_ERR => "PAM_SYSTEM_ERR",
        PAM_PERM_DENIED => "PAM_PERM_DENIED",
        PAM_AUTH_ERR => "PAM_AUTH_ERR",
        PAM_AUTHINFO_UNAVAIL => "PAM_AUTHINFO_UNAVAIL",
        PAM_USER_UNKNOWN => "PAM_USER_UNKNOWN",
        PAM_MAXTRIES => "PAM_MAXTRIES",
        PAM_ACCT_EXPIRED => "PAM_ACCT_EXPIRED",
        PAM_CONV_ERR => "PAM_CONV_ERR",
        PAM_IGNORE => "PAM_IGNORE",
        PAM_ABORT => "PAM_ABORT",
        other => return format!("PAM code {other}"),
    };
    name.to_string()
}
