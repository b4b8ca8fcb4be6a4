//! What a test does with any sign-in screen, console or locker alike: wait for a prompt, type an
//! answer and Enter, keep a picture of what the user sees, and tell whether it let the user in.

use std::path::PathBuf;
use std::time::Duration;

use crate::browser::screenshot_dir;

/// How long an X locker is given to show its next prompt after an answer (nothing on an X
/// screen can be read back as text; the outcome is asserted from the process and the daemon).
pub const SETTLE: Duration = Duration::from_millis(1500);

pub trait LockScreen {
    /// Waits until the screen asks something new that contains `hint` (on X: waits [`SETTLE`]).
    fn wait_prompt(&mut self, hint: &str);
    /// Types `text` and Enter (an empty `text`: Enter alone).
    fn answer(&mut self, text: &str);
    /// Keeps what the user sees now as an artifact named after `moment`; returns its path.
    fn shot(&mut self, moment: &str) -> PathBuf;
    /// True once the user is in (the shell prompt, the locker gone), within `timeout`.
    fn wait_unlocked(&mut self, timeout: Duration) -> bool;
    /// True while it still holds the user out (checked once, now).
    fn still_locked(&mut self) -> bool;
    /// Starts an attempt: what the user does before the first prompt (a key to wake the
    /// locker, Enter at vlock's banner) and, after a refused attempt, to get a new one (a
    /// dialog dismissed, the user name typed again at `login:`).
    fn begin_attempt(&mut self);
    /// What the program printed or shows, for failure messages.
    fn describe(&mut self) -> String;
}

/// Names artifacts `desktop-<program>-<case>-<NN>-<moment>.<ext>`, numbered in the order taken.
pub struct ShotNames {
    prefix: String,
    taken: u32,
}

impl ShotNames {
    /// Names for this case; the case's pictures from an earlier run are removed.
    pub fn new(program: &str, case: &str) -> ShotNames {
        let prefix = format!("desktop-{program}-{case}");
        let earlier = format!("{prefix}-");
        if let Ok(entries) = std::fs::read_dir(screenshot_dir()) {
            for entry in entries.flatten() {
                let stale = entry.file_name().to_str().is_some_and(|n| {
                    n.strip_prefix(&earlier)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                });
                if stale {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        ShotNames { prefix, taken: 0 }
    }

    /// The next name (without extension) for `moment`.
    pub fn next(&mut self, moment: &str) -> String {
        self.taken += 1;
        format!("{}-{:02}-{moment}", self.prefix, self.taken)
    }

    /// Writes `text` (a terminal's screen) as `<name>.txt` in the screenshot directory.
    pub fn save_text(&mut self, moment: &str, text: &str) -> PathBuf {
        let path = screenshot_dir().join(format!("{}.txt", self.next(moment)));
        std::fs::write(&path, text).expect("write the text screenshot");
        path
    }
}
