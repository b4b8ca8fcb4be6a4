//! Findings and how `mfa doctor` prints them: first, apart, the "Would lock out:" block (users
//! who would be refused at their next login), then one `[ OK ]` / `[INFO]` / `[WARN]` / `[FAIL]` /
//! `[SKIP]` line each, an indented `fix:` line where there is something to do, and a summary
//! line.

use std::fmt::Write as _;

use super::messages::Msg;
use crate::i18n::tr;
use mfa_config::Language;

/// How bad a finding is. Only `Fail` makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A check that could not run here (the reason is in the text).
    Skip,
    Ok,
    /// Works, but could be better for the people using it (a hint, not a problem).
    Info,
    /// Works, but is fragile or weaker than it should be.
    Warn,
    /// Logins break, or are not protected.
    Fail,
}

impl Level {
    fn tag(self) -> &'static str {
        match self {
            Level::Skip => "[SKIP]",
            Level::Ok => "[ OK ]",
            Level::Info => "[INFO]",
            Level::Warn => "[WARN]",
            Level::Fail => "[FAIL]",
        }
    }
}

/// One thing `mfa doctor` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub level: Level,
    pub text: String,
    /// What to do about it (absent for OK and SKIP lines).
    pub fix: Option<String>,
}

impl Finding {
    pub fn ok(text: impl Into<String>) -> Self {
        Finding {
            level: Level::Ok,
            text: text.into(),
            fix: None,
        }
    }

    pub fn skip(text: impl Into<String>) -> Self {
        Finding {
            level: Level::Skip,
            text: text.into(),
            fix: None,
        }
    }

    pub fn warn(text: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding {
            level: Level::Warn,
            text: text.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn info(text: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding {
            level: Level::Info,
            text: text.into(),
            fix: Some(hint.into()),
        }
    }

    pub fn fail(text: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding {
            level: Level::Fail,
            text: text.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Everything found, in the order the checks ran; the lockout risks apart, printed first.
#[derive(Debug, Default)]
pub struct Report {
    lockouts: Vec<Finding>,
    findings: Vec<Finding>,
}

impl Report {
    /// A user who would be locked out: printed first, under "Would lock out:", so it is not
    /// one WARN among many.
    pub fn add_lockout(&mut self, finding: Finding) {
        self.lockouts.push(finding);
    }

    pub fn lockouts(&self) -> &[Finding] {
        &self.lockouts
    }

    pub fn add(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    pub fn count(&self, level: Level) -> usize {
        self.lockouts
            .iter()
            .chain(&self.findings)
            .filter(|f| f.level == level)
            .count()
    }

    pub fn has_failures(&self) -> bool {
        self.count(Level::Fail) > 0
    }

    /// The whole report as printed: findings, fixes, then the summary line. The findings are
    /// already in `lang`; the tags and the counts are the same in every language.
    pub fn render(&self, lang: Language) -> String {
        let mut out = String::new();
        if !self.lockouts.is_empty() {
            out.push_str(&render_lockouts(&self.lockouts, lang));
            out.push('\n');
        }
        render_findings(&mut out, &self.findings, lang);
        out.push_str(&self.summary(lang));
        out.push('\n');
        out
    }

    fn summary(&self, lang: Language) -> String {
        let (fail, warn, info, ok) = (
            self.count(Level::Fail),
            self.count(Level::Warn),
            self.count(Level::Info),
            self.count(Level::Ok),
        );
        let skipped = match self.count(Level::Skip) {
            0 => String::new(),
            n => tr!(lang, Msg::Skipped, count = n),
        };
        let verdict = if fail > 0 {
            Msg::VerdictFail
        } else if warn > 0 {
            Msg::VerdictWarn
        } else {
            Msg::VerdictOk
        }
        .text(lang);
        let first = match self.first_fix() {
            Some(fix) => tr!(lang, Msg::DoFirst, fix = printable(fix)),
            None => String::new(),
        };
        format!(
            "mfa doctor: {fail} FAIL, {warn} WARN, {info} INFO, {ok} OK{skipped} — {verdict}{first}"
        )
    }

    /// The one thing to do first: the fix of the first FAIL as printed (lockout risks come
    /// first), else of the first WARN.
    fn first_fix(&self) -> Option<&str> {
        let all = || self.lockouts.iter().chain(&self.findings);
        [Level::Fail, Level::Warn]
            .into_iter()
            .find_map(|level| all().find(|f| f.level == level && f.fix.is_some()))
            .and_then(|f| f.fix.as_deref())
    }
}

/// The "Would lock out:" block: its heading, then the findings (`mfa doctor` and
/// `mfa admin enable-pam` print the same).
pub(crate) fn render_lockouts(lockouts: &[Finding], lang: Language) -> String {
    let mut out = format!("{}\n", Msg::WouldLockOut.text(lang));
    render_findings(&mut out, lockouts, lang);
    out
}

/// One tagged line per finding, its fix indented below.
fn render_findings(out: &mut String, findings: &[Finding], lang: Language) {
    for f in findings {
        let _ = writeln!(out, "{} {}", f.level.tag(), printable(&f.text));
        if let Some(fix) = &f.fix {
            let _ = writeln!(
                out,
                "       {} {}",
                Msg::FixLabel.text(lang),
                printable(fix)
            );
        }
    }
}

/// Text from files and the daemon, safe for a terminal: control characters become `?`.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_finding_is_one_tagged_line_with_its_fix_indented_below() {
        let mut r = Report::default();
        r.add(Finding::ok("config is valid"));
        r.add(Finding::fail("mfad is not running", "systemctl start mfad"));
        r.add(Finding::skip("users: not root"));
        let text = r.render(Language::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "[ OK ] config is valid");
        assert_eq!(lines[1], "[FAIL] mfad is not running");
        assert_eq!(lines[2], "       fix: systemctl start mfad");
        assert_eq!(lines[3], "[SKIP] users: not root");
        assert_eq!(
            lines[4],
            "mfa doctor: 1 FAIL, 0 WARN, 0 INFO, 1 OK, 1 skipped — logins would break or are \
             not protected: fix the FAIL lines first; do this first: systemctl start mfad"
        );
        assert!(r.has_failures());
    }

    #[test]
    fn lockout_risks_come_first_under_their_own_heading() {
        let mut r = Report::default();
        r.add(Finding::ok("config is valid"));
        r.add(Finding::info(
            "xscreensaver: long prompts",
            "add render=oneline",
        ));
        r.add_lockout(Finding::warn(
            "root has nothing enrolled",
            "mfa admin enroll-totp root",
        ));
        let text = r.render(Language::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Would lock out:");
        assert_eq!(lines[1], "[WARN] root has nothing enrolled");
        assert_eq!(lines[2], "       fix: mfa admin enroll-totp root");
        assert_eq!(lines[3], "");
        assert_eq!(lines[4], "[ OK ] config is valid");
        assert_eq!(lines[5], "[INFO] xscreensaver: long prompts");
        assert!(
            lines[7].starts_with("mfa doctor: 0 FAIL, 1 WARN, 1 INFO, 1 OK")
                && lines[7].ends_with("; do this first: mfa admin enroll-totp root"),
            "{text}"
        );
    }

    #[test]
    fn without_lockout_risks_there_is_no_heading() {
        let mut r = Report::default();
        r.add(Finding::ok("config is valid"));
        assert!(!r.render(Language::En).contains("Would lock out"));
    }

    #[test]
    fn the_summary_names_the_first_fail_fix_before_any_warning() {
        let mut r = Report::default();
        r.add(Finding::warn("clock drifts", "timedatectl set-ntp true"));
        r.add(Finding::fail("mfad is not running", "service mfad start"));
        r.add(Finding::fail("sudo stack", "edit /etc/pam.d/sudo"));
        let text = r.render(Language::En);
        assert!(
            text.trim_end()
                .ends_with("; do this first: service mfad start"),
            "{text}"
        );
    }

    #[test]
    fn a_clean_report_has_nothing_to_do_first() {
        let mut r = Report::default();
        r.add(Finding::ok("config is valid"));
        let text = r.render(Language::En);
        assert!(text.trim_end().ends_with("no problems found"), "{text}");
    }

    #[test]
    fn warnings_alone_are_not_failures() {
        let mut r = Report::default();
        r.add(Finding::warn(
            "clock not synchronised",
            "timedatectl set-ntp true",
        ));
        assert!(!r.has_failures());
        assert!(r.render(Language::En).contains("nothing blocks logins"));
    }

    #[test]
    fn control_characters_from_files_are_not_printed() {
        let mut r = Report::default();
        r.add(Finding::ok("user \u{1b}[31mevil"));
        assert!(
            r.render(Language::En)
                .starts_with("[ OK ] user ?[31mevil\n")
        );
    }

    #[test]
    fn the_fix_label_and_the_summary_speak_dutch_and_the_tags_stay() {
        let mut r = Report::default();
        r.add(Finding::fail("x", "y"));
        r.add(Finding::skip("z"));
        let text = r.render(Language::Nl);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "[FAIL] x");
        assert_eq!(lines[1], "       oplossing: y");
        assert_eq!(
            lines[3],
            "mfa doctor: 1 FAIL, 0 WARN, 0 INFO, 0 OK, 1 overgeslagen — aanmeldingen zouden \
             mislukken of zijn niet beschermd: los eerst de FAIL-regels op; doe eerst dit: y"
        );
    }
}
