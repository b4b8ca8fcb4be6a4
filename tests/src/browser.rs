//! A person answering the approval page in a real browser: `tests/e2e/approve_in_browser.py`
//! drives Debian's headless Chromium (JavaScript disabled) and saves screenshots under
//! `target/test-artifacts/screenshots/`.

use crate::artifacts::{target_dir, workspace_root};
use std::path::PathBuf;
use std::process::Command;

/// What to do on the page (the id of the button clicked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAction {
    Verify,
    Deny,
    /// "Deny — this wasn't me".
    Report,
    /// Only read the page (a link that is gone has no form).
    Look,
}

impl PageAction {
    fn id(self) -> &'static str {
        match self {
            PageAction::Verify => "verify",
            PageAction::Deny => "deny",
            PageAction::Report => "report",
            PageAction::Look => "look",
        }
    }
}

/// One visit to the page and what the browser saw.
#[derive(Debug, Clone, Default)]
pub struct BrowserVisit {
    /// The text of `#result` after submitting (for `Look`: of `#result` or the page).
    pub result: String,
    /// After `reload_after`: the page's text when the same link was opened again.
    pub again: Option<String>,
    /// The ids of the inputs the page had (`number`, `pin`).
    pub fields: Vec<String>,
}

/// `url` answered with `action`, typing `number` and `pin` (the PIN only where the page asks);
/// with `reload_after` the link is opened once more afterwards. Screenshots are named `name-…`.
/// Panics on a harness error (no browser, missing element, no `#result`).
pub fn visit_in_browser(
    url: &str,
    action: PageAction,
    number: Option<&str>,
    pin: Option<&str>,
    name: &str,
    reload_after: bool,
) -> BrowserVisit {
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.arg(workspace_root().join("tests/e2e/approve_in_browser.py"))
        .args([
            url,
            "--action",
            action.id(),
            "--name",
            name,
            "--screenshots",
        ])
        .arg(screenshot_dir());
    if let Some(number) = number {
        cmd.args(["--number", number]);
    }
    if let Some(pin) = pin {
        cmd.args(["--pin", pin]);
    }
    if reload_after {
        cmd.arg("--reload-after");
    }
    let out = cmd
        .output()
        .expect("run /usr/bin/python3 tests/e2e/approve_in_browser.py (scripts/deps.sh test)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "approve_in_browser.py {url} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |tag: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(tag))
            .map(|rest| rest.trim_start().to_string())
    };
    BrowserVisit {
        result: line("RESULT").expect("a RESULT line"),
        again: line("AGAIN"),
        fields: line("FIELDS")
            .unwrap_or_default()
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// The text of `#result` after answering `url` with `action` (see [`visit_in_browser`]).
pub fn approve_in_browser(
    url: &str,
    action: PageAction,
    number: Option<&str>,
    pin: Option<&str>,
    name: &str,
) -> String {
    visit_in_browser(url, action, number, pin, name, false).result
}

/// Where the browser's screenshots go (created on first use).
pub fn screenshot_dir() -> PathBuf {
    let dir = target_dir().join("test-artifacts/screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}
