//! The three PAM stacks measured side by side, each `auth required <module>` in a config
//! directory of its own: pam_permit (libpam's own cost), Debian's pam_google_authenticator in
//! its strict mode (DISALLOW_REUSE + RATE_LIMIT, one state file per user restored before each
//! login) and pam_mfa talking to the real daemon.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use mfa_tests::{Bus, Daemon, PamStack, StackOptions};
use tempfile::TempDir;

use crate::users::User;

/// Where Debian installs the module (package libpam-google-authenticator).
pub const GA_MODULE: &str = "/lib/x86_64-linux-gnu/security/pam_google_authenticator.so";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Permit,
    GaStrict,
    Mfa,
}

pub const MODULES: [Module; 3] = [Module::Permit, Module::GaStrict, Module::Mfa];

impl Module {
    pub fn label(self) -> &'static str {
        match self {
            Module::Permit => "pam_permit",
            Module::GaStrict => "GA-strict",
            Module::Mfa => "pam_mfa",
        }
    }
}

pub struct Stacks {
    pub permit: PamStack,
    pub ga: PamStack,
    pub mfa: PamStack,
    ga_dir: TempDir,
}

/// GA's state file as `google-authenticator -t -d -r 3 -R 30 -w 3` writes it.
fn ga_file(user: &User) -> String {
    format!(
        "{}\n\" RATE_LIMIT 3 30\n\" WINDOW_SIZE 3\n\" DISALLOW_REUSE\n\" TOTP_AUTH\n",
        user.secret_b32
    )
}

impl Stacks {
    /// The stacks, and GA state files (template + live copy, root-owned, 0600) for `ga_users`.
    pub fn new(bus: &Bus, daemon: &Daemon, ga_users: &[User]) -> Result<Stacks, String> {
        if !Path::new(GA_MODULE).is_file() {
            return Err(format!(
                "{GA_MODULE} is missing: scripts/deps.sh bench installs libpam-google-authenticator"
            ));
        }
        let ga_dir = tempfile::Builder::new()
            .prefix("mfa-bench-ga-")
            .tempdir()
            .map_err(|e| format!("GA dir: {e}"))?;
        for sub in ["template", "live"] {
            fs::create_dir(ga_dir.path().join(sub)).map_err(|e| format!("GA dir: {e}"))?;
        }
        for user in ga_users {
            for sub in ["template", "live"] {
                let path = ga_dir.path().join(sub).join(&user.name);
                fs::write(&path, ga_file(user)).map_err(|e| format!("{}: {e}", path.display()))?;
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        let ga_line = format!(
            "auth required {GA_MODULE} secret={}/${{USER}} user=root\n",
            ga_dir.path().join("live").display()
        );
        let mfa = PamStack::with_options(
            bus,
            daemon.uid(),
            StackOptions {
                service: "bench-mfa".into(),
                ..StackOptions::default()
            },
        );
        let stacks = Stacks {
            permit: PamStack::from_text("bench-permit", "auth required pam_permit.so\n"),
            ga: PamStack::from_text("bench-ga", &ga_line),
            mfa,
            ga_dir,
        };
        // Without an `other` service libpam logs an error at every pam_start; once GA has
        // called openlog(LOG_CONS) in a process, with no syslog socket that line goes to
        // /dev/console (about 0.7 ms a write on the project VM).
        for module in MODULES {
            stacks
                .stack(module)
                .write_file("other", "auth required pam_deny.so\n");
        }
        Ok(stacks)
    }

    pub fn stack(&self, module: Module) -> &PamStack {
        match module {
            Module::Permit => &self.permit,
            Module::GaStrict => &self.ga,
            Module::Mfa => &self.mfa,
        }
    }

    /// (template, live file) of a GA user: the driver copies one over the other before a login.
    pub fn ga_reset(&self, user: &str) -> (PathBuf, PathBuf) {
        (
            self.ga_dir.path().join("template").join(user),
            self.ga_dir.path().join("live").join(user),
        )
    }
}
