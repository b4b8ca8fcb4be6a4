//! `mfa admin enable-pam`: `pam-auth-update --enable mfa`, but only when nobody would be locked
//! out. The profile puts pam_mfa.so in common-auth, so every service that includes it (login,
//! su, sudo, sshd, vlock through `other`, screen lockers) asks for a code from then on;
//! pam-auth-update has no hook to check first, so this command does: the same lockout risks as
//! the "Would lock out:" block of `mfa doctor`, plus the lock screens that cannot answer a code
//! prompt from common-auth. It refuses while there are any, unless `--force`.
//!
//! `pam-auth-update` is found on PATH (a root shell's PATH has /usr/sbin). With `--root DIR`
//! everything is read under DIR and pam-auth-update gets `--root DIR` too.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::doctor;
use crate::i18n::{catalog, tr};

/// The profile's name (debian/pam-configs/mfa, installed in /usr/share/pam-configs).
const PROFILE: &str = "mfa";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Enable even when somebody would be locked out (or that could not be checked).
    #[arg(long)]
    pub force: bool,
    /// Read /etc/passwd, /etc/pam.d, … under DIR and pass `--root DIR` to pam-auth-update.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// mfad's configuration file [default: <root>/etc/mfa/mfad.toml].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

catalog! {
    enum Msg {
        NobodyLockedOut {
            en: "Nobody would be locked out: every login user has a second factor, and no lock screen reaches common-auth without what it needs.",
            nl: "Niemand zou worden buitengesloten: elke gebruiker met een login heeft een tweede factor, en geen vergrendelscherm komt bij common-auth zonder wat het nodig heeft.",
        },
        CannotCheck {
            en: "cannot tell who would be locked out: {why}",
            nl: "kan niet bepalen wie zou worden buitengesloten: {why}",
        },
        Refused {
            en: "not enabling the mfa profile: fix the lines above first (enroll each user, give each lock screen its own pam.d lines), or run again with --force",
            nl: "het mfa-profiel wordt niet ingeschakeld: los eerst de regels hierboven op (stel voor elke gebruiker een factor in, geef elk vergrendelscherm eigen pam.d-regels), of voer opnieuw uit met --force",
        },
        RefusedUnchecked {
            en: "not enabling the mfa profile: run this as root with mfad running so it can check, or run again with --force",
            nl: "het mfa-profiel wordt niet ingeschakeld: voer dit uit als root terwijl mfad draait zodat het kan controleren, of voer opnieuw uit met --force",
        },
        Forced {
            en: "--force: enabling the mfa profile anyway.",
            nl: "--force: het mfa-profiel wordt toch ingeschakeld.",
        },
        Enabled {
            en: "The mfa profile is enabled: every service that includes common-auth now asks for a code. Keep this root shell open and try a login (e.g. `mfa test-login USER --service login`); to undo: pam-auth-update --disable mfa",
            nl: "Het mfa-profiel is ingeschakeld: elke dienst die common-auth opneemt vraagt nu om een code. Houd deze root-shell open en probeer een aanmelding (bv. `mfa test-login GEBRUIKER --service login`); ongedaan maken: pam-auth-update --disable mfa",
        },
        RunFailed {
            en: "pam-auth-update failed ({error})",
            nl: "pam-auth-update is mislukt ({error})",
        },
    }
}

/// Lists the risks, then runs pam-auth-update when there are none or `--force` is given.
pub fn run(args: &Args) -> ExitCode {
    let (risks, lang) = doctor::enable_risks(&args.root, args.config.as_deref());
    let safe = match &risks {
        Ok(risks) if risks.is_empty() => {
            println!("{}", Msg::NobodyLockedOut.text(lang));
            true
        }
        Ok(risks) => {
            print!("{}", doctor::render_lockouts(risks, lang));
            false
        }
        Err(why) => {
            eprintln!("mfa: {}", tr!(lang, Msg::CannotCheck, why = why));
            false
        }
    };
    if !safe {
        if !args.force {
            let refused = if risks.is_ok() {
                Msg::Refused
            } else {
                Msg::RefusedUnchecked
            };
            eprintln!("mfa: {}", refused.text(lang));
            return ExitCode::from(1);
        }
        println!("{}", Msg::Forced.text(lang));
    }
    match pam_auth_update(&args.root) {
        Ok(()) => {
            println!("{}", Msg::Enabled.text(lang));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("mfa: {}", tr!(lang, Msg::RunFailed, error = error));
            ExitCode::from(1)
        }
    }
}

/// `pam-auth-update [--root DIR] --enable mfa`, its output passed through.
fn pam_auth_update(root: &Path) -> Result<(), String> {
    let mut cmd = Command::new("pam-auth-update");
    if root != Path::new("/") {
        cmd.arg("--root").arg(root);
    }
    cmd.args(["--enable", PROFILE]);
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(s.to_string()),
        Err(e) => Err(e.to_string()),
    }
}
