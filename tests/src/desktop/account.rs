//! A real local account with a known password (pam_unix checks it, as on a desktop) and a home
//! directory of its own for this test (lockers keep settings there).

use std::io::Write;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::users::ensure_user;

/// The test accounts' password (letters and digits: the same on every keyboard map).
pub const DESKTOP_PASSWORD: &str = "deskpass2468";

/// `name` with [`DESKTOP_PASSWORD`] and a fresh home (mode 0700, owned by the account). On drop
/// the home is removed and the password locked: no account with a known password stays behind.
pub struct DesktopUser {
    account: Account,
    _home: TempDir,
}

/// The account's name, uid and home (what running a program as the user takes).
#[derive(Debug, Clone)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub home: PathBuf,
}

impl std::ops::Deref for DesktopUser {
    type Target = Account;
    fn deref(&self) -> &Account {
        &self.account
    }
}

impl DesktopUser {
    pub fn create(name: &str) -> DesktopUser {
        let uid = ensure_user(name);
        set_password(name, DESKTOP_PASSWORD);
        let home = tempfile::Builder::new()
            .prefix("mfa-home-")
            .tempdir()
            .expect("home dir");
        chown(home.path(), Some(uid), Some(uid)).expect("chown home");
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700))
            .expect("chmod home");
        DesktopUser {
            account: Account {
                name: name.to_string(),
                uid,
                home: home.path().to_path_buf(),
            },
            _home: home,
        }
    }
}

impl Drop for DesktopUser {
    fn drop(&mut self) {
        let _ = Command::new("usermod")
            .args(["--lock", &self.account.name])
            .stdout(Stdio::null())
            .status();
    }
}

/// `chpasswd` as root (no quality rules): `name`'s password becomes `password`.
fn set_password(name: &str, password: &str) {
    let mut chpasswd = Command::new("chpasswd")
        .stdin(Stdio::piped())
        .spawn()
        .expect("chpasswd");
    if let Some(mut stdin) = chpasswd.stdin.take() {
        writeln!(stdin, "{name}:{password}").expect("write chpasswd");
    }
    assert!(chpasswd.wait().is_ok_and(|s| s.success()), "chpasswd");
}

impl Account {
    /// Gives the account another password (e.g. one that looks like a code).
    pub fn set_password(&self, password: &str) {
        set_password(&self.name, password);
    }

    /// The home of this test run (`HOME` for the programs run as the user).
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// `program` run as this user (setpriv, its own gid, no supplementary groups) with a clean
    /// environment: `HOME`, `USER`, `LOGNAME`, `PATH`, and `env`.
    pub fn command(&self, program: &str, env: &[(&str, &str)]) -> Command {
        let mut command = Command::new("setpriv");
        command
            .args([
                &format!("--reuid={}", self.uid),
                &format!("--regid={}", self.uid),
                "--clear-groups",
                "--",
                "env",
                "-i",
            ])
            .arg(format!("HOME={}", self.home().display()))
            .arg(format!("USER={}", self.name))
            .arg(format!("LOGNAME={}", self.name))
            .arg("PATH=/usr/local/bin:/usr/bin:/bin");
        for (key, value) in env {
            command.arg(format!("{key}={value}"));
        }
        command.arg(program).stdin(Stdio::null());
        command
    }
}
