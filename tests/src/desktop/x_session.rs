//! The shared part of the X screen lockers: a private Xvfb, the user's authority file for it,
//! and the screenshots of what the screen shows.

use std::path::PathBuf;

use tempfile::TempDir;

use crate::desktop::account::DesktopUser;
use crate::desktop::screen::ShotNames;
use crate::xvfb::Xvfb;

pub struct XSession {
    pub xvfb: Xvfb,
    names: ShotNames,
    authority: PathBuf,
    _dir: TempDir,
}

impl XSession {
    /// An X server for `user`'s locker; screenshots named after `program` and `case`.
    pub fn start(user: &DesktopUser, program: &str, case: &str) -> XSession {
        let xvfb = Xvfb::start();
        let dir = tempfile::Builder::new()
            .prefix("mfa-xauth-")
            .tempdir()
            .expect("temp dir for the authority file");
        let authority = xvfb.authority_for(user.uid, dir.path());
        XSession {
            xvfb,
            names: ShotNames::new(program, case),
            authority,
            _dir: dir,
        }
    }

    /// `DISPLAY` and `XAUTHORITY` for a program run as the user.
    pub fn user_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DISPLAY", self.xvfb.display().to_string()),
            ("XAUTHORITY", self.authority.display().to_string()),
        ]
    }

    /// A PNG of the whole screen, named after `moment`.
    pub fn shot(&mut self, moment: &str) -> PathBuf {
        let name = self.names.next(moment);
        self.xvfb.screenshot(&name)
    }
}

/// `LD_PRELOAD=libpam_wrapper.so` with a private service directory: a locker that runs PAM as
/// the user (not setuid) reads its stack from `dir` instead of /etc/pam.d.
pub fn pam_wrapper_env(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    vec![
        ("LD_PRELOAD", "libpam_wrapper.so".to_string()),
        ("PAM_WRAPPER", "1".to_string()),
        ("PAM_WRAPPER_SERVICE_DIR", dir.display().to_string()),
    ]
}

/// `(key, value)` pairs as the `&str` pairs [`DesktopUser::command`] takes.
pub fn as_pairs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
