//! A private X server in memory (Xvfb) for the screen-locker tests: a display number of its own
//! (chosen by the server through `-displayfd`, so parallel tests never collide), a private
//! MIT-MAGIC-COOKIE (no `-ac`: only holders of the cookie may connect), typed at with `xdotool`
//! and photographed with ImageMagick's `import`. Killed on drop, with everything it drew.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use crate::browser::screenshot_dir;
use crate::process::kill;
use crate::wait::try_wait_for;

/// An `Xvfb :N` only this test can reach.
pub struct Xvfb {
    child: Child,
    display: String,
    cookie: String,
    dir: TempDir,
    // Kept open so Xvfb never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Xvfb {
    /// Starts a 1024×768 server and waits until it answers with the cookie.
    pub fn start() -> Xvfb {
        let dir = tempfile::Builder::new()
            .prefix("mfa-xvfb-")
            .tempdir()
            .expect("temp dir for Xvfb");
        let cookie = random_cookie();
        // The server accepts every MIT cookie in its file, whatever display the entry names.
        let server_auth = dir.path().join("server.auth");
        xauth_add(&server_auth, ":0", &cookie);
        let log = fs::File::create(dir.path().join("xvfb.log")).expect("Xvfb log");
        let mut child = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-noreset"])
            .arg("-auth")
            .arg(&server_auth)
            .args(["-screen", "0", "1024x768x24"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("cannot start Xvfb (apt-get install xvfb)");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        let read = stdout.read_line(&mut line);
        let number: Option<u32> = line.trim().parse().ok();
        let Some(number) = number.filter(|_| read.is_ok()) else {
            kill(&mut child);
            panic!(
                "Xvfb printed no display number ({line:?}); its log:\n{}",
                fs::read_to_string(dir.path().join("xvfb.log")).unwrap_or_default()
            );
        };
        let display = format!(":{number}");
        xauth_add(&dir.path().join("root.auth"), &display, &cookie);
        let xvfb = Xvfb {
            child,
            display,
            cookie,
            dir,
            _stdout: stdout,
        };
        let answers = try_wait_for(Duration::from_secs(10), || {
            xvfb.command("xdotool")
                .arg("getdisplaygeometry")
                .output()
                .ok()
                .filter(|o| o.status.success())
        });
        assert!(answers.is_some(), "Xvfb {} does not answer", xvfb.display);
        xvfb
    }

    /// `:N`
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Writes an authority file with this server's cookie into `dir`, owned by `uid` and
    /// readable by it alone (what a locker running as that user passes in `XAUTHORITY`).
    pub fn authority_for(&self, uid: u32, dir: &Path) -> PathBuf {
        let path = dir.join(format!(
            "xauthority-{}",
            self.display.trim_start_matches(':')
        ));
        xauth_add(&path, &self.display, &self.cookie);
        chown(&path, Some(uid), Some(uid)).expect("chown the authority file");
        path
    }

    /// `program` as the test (root) with `DISPLAY` and `XAUTHORITY` for this server.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("DISPLAY", &self.display)
            .env("XAUTHORITY", self.dir.path().join("root.auth"))
            .stdin(Stdio::null());
        command
    }

    /// `xdotool ARGS…`; panics with its stderr when it fails.
    pub fn xdotool(&self, args: &[&str]) {
        let out = self
            .command("xdotool")
            .args(args)
            .output()
            .expect("cannot run xdotool (apt-get install xdotool)");
        assert!(
            out.status.success(),
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Types `text` (printable ASCII) into whatever has the keyboard, one key at a time as a
    /// person at a US keyboard would: Shift held down around `?`, `+`, capitals, for a moment
    /// before and after. (xscreensaver reads Shift from the keyboard's state when it gets to
    /// the event: `xdotool type`, or a Shift released too soon, turns "?" into "/".)
    pub fn type_text(&self, text: &str) {
        let mut args: Vec<String> = Vec::new();
        for c in text.chars() {
            let key = us_key(c);
            let step: Vec<&str> = match key.strip_prefix("shift+") {
                Some(base) => vec![
                    "keydown", "shift", "sleep", "0.1", "key", base, "sleep", "0.1", "keyup",
                    "shift", "sleep", "0.05",
                ],
                None => vec!["key", &key, "sleep", "0.04"],
            };
            args.extend(step.into_iter().map(str::to_string));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.xdotool(&args);
    }

    /// Presses one key (`Return`, `Escape`, `ctrl`…).
    pub fn key(&self, key: &str) {
        self.xdotool(&["key", "--", key]);
    }

    /// Types `text`, then Return.
    pub fn type_line(&self, text: &str) {
        if !text.is_empty() {
            self.type_text(text);
        }
        self.key("Return");
    }

    /// Saves what the screen shows now as `target/test-artifacts/screenshots/NAME.png`.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let path = screenshot_dir().join(format!("{name}.png"));
        let out = self
            .command("import")
            .args(["-window", "root", "-display", &self.display])
            .arg(&path)
            .output()
            .expect("cannot run import (apt-get install imagemagick)");
        assert!(
            out.status.success() && path.is_file(),
            "import {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // Its clients (the lockers) lose their display and exit with it.
        kill(&mut self.child);
    }
}

/// `xauth -f FILE add DISPLAY MIT-MAGIC-COOKIE-1 COOKIE` (the file is created 0600).
fn xauth_add(file: &Path, display: &str, cookie: &str) {
    let out = Command::new("xauth")
        .arg("-q")
        .arg("-f")
        .arg(file)
        .args(["add", display, "MIT-MAGIC-COOKIE-1", cookie])
        .stdin(Stdio::null())
        .output()
        .expect("cannot run xauth (apt-get install xauth)");
    assert!(
        out.status.success(),
        "xauth add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::set_permissions(file, fs::Permissions::from_mode(0o600)).expect("chmod authority");
}

/// 128 random bits in hex, as `xauth generate` would make.
fn random_cookie() -> String {
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("read /dev/urandom");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The xdotool key (with `shift+` where a US keyboard needs it) that types `c`.
fn us_key(c: char) -> String {
    const PLAIN: &[(char, &str)] = &[
        (' ', "space"),
        ('-', "minus"),
        ('=', "equal"),
        ('[', "bracketleft"),
        (']', "bracketright"),
        ('\\', "backslash"),
        (';', "semicolon"),
        ('\'', "apostrophe"),
        (',', "comma"),
        ('.', "period"),
        ('/', "slash"),
        ('`', "grave"),
    ];
    const SHIFTED: &[(char, &str)] = &[
        ('!', "1"),
        ('@', "2"),
        ('#', "3"),
        ('$', "4"),
        ('%', "5"),
        ('^', "6"),
        ('&', "7"),
        ('*', "8"),
        ('(', "9"),
        (')', "0"),
        ('_', "minus"),
        ('+', "equal"),
        ('{', "bracketleft"),
        ('}', "bracketright"),
        ('|', "backslash"),
        (':', "semicolon"),
        ('"', "apostrophe"),
        ('<', "comma"),
        ('>', "period"),
        ('?', "slash"),
        ('~', "grave"),
    ];
    if c.is_ascii_lowercase() || c.is_ascii_digit() {
        return c.to_string();
    }
    if c.is_ascii_uppercase() {
        return format!("shift+{}", c.to_ascii_lowercase());
    }
    if let Some((_, key)) = PLAIN.iter().find(|(k, _)| *k == c) {
        return key.to_string();
    }
    match SHIFTED.iter().find(|(k, _)| *k == c) {
        Some((_, key)) => format!("shift+{key}"),
        None => panic!("no US key types {c:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::us_key;

    #[test]
    fn shifted_characters_are_typed_with_shift_held() {
        let keys: Vec<String> = "aZ9?+ -".chars().map(us_key).collect();
        assert_eq!(
            keys,
            [
                "a",
                "shift+z",
                "9",
                "shift+slash",
                "shift+equal",
                "space",
                "minus"
            ]
        );
    }
}
