//! `mfa test-login`: drive the real PAM stack of a service the way sshd or sudo would.
//!
//! Deliberately synchronous: no tokio runtime and no D-Bus connection exist around the PAM call,
//! because the module it loads runs its own zbus `block_on`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::i18n::{self, tr};
use crate::messages::Msg;
use crate::pam_app::{self, Request};
use crate::terminal::TerminalConversation;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// PAM service whose stack to run (a file in /etc/pam.d, or in --pam-dir).
    #[arg(long, default_value = "sshd", value_name = "NAME")]
    pub service: String,
    /// Read the stack from DIR instead of /etc/pam.d (pam_start_confdir; there is no fallback
    /// to /etc/pam.d).
    #[arg(long, value_name = "DIR")]
    pub pam_dir: Option<PathBuf>,
    /// Remote host to report to the modules (PAM_RHOST), as sshd would.
    #[arg(long, value_name = "HOST")]
    pub rhost: Option<String>,
    /// Terminal to report to the modules (PAM_TTY).
    #[arg(long, value_name = "TTY")]
    pub tty: Option<String>,
    /// Only authenticate; skip the account checks (pam_acct_mgmt).
    #[arg(long)]
    pub no_account: bool,
    /// The user to log in as.
    #[arg(value_name = "USER")]
    pub user: String,
}

pub fn run(args: &Args) -> ExitCode {
    // No daemon is asked (nothing of D-Bus may exist around the PAM call): the installed
    // config's language, else English.
    let lang = i18n::from_config(i18n::default_config());
    let req = Request {
        service: &args.service,
        user: &args.user,
        confdir: args.pam_dir.as_deref(),
        rhost: args.rhost.as_deref(),
        tty: args.tty.as_deref(),
    };
    {
        let mut out = std::io::stdout().lock();
        let source = match &args.pam_dir {
            Some(dir) => format!("{}/{}", dir.display(), args.service),
            None => format!("/etc/pam.d/{}", args.service),
        };
        let _ = writeln!(
            out,
            "{}",
            tr!(
                lang,
                Msg::Testing,
                service = args.service,
                source = source,
                user = args.user
            )
        );
        // A stack without pam_mfa "passes" with the password alone: say so before it runs.
        let pam_dir = args.pam_dir.as_deref().unwrap_or(Path::new("/etc/pam.d"));
        if crate::doctor::stack_runs_mfa(pam_dir, &args.service) == Some(false) {
            let _ = writeln!(
                out,
                "{}",
                tr!(
                    lang,
                    Msg::NoMfaInStack,
                    service = args.service,
                    source = source
                )
            );
        }
        let _ = out.flush();
    }
    let mut conv = TerminalConversation::in_language(lang);
    let outcome = pam_app::authenticate(&req, &mut conv, !args.no_account);
    let mut out = std::io::stdout().lock();
    // Name the call that failed when it was not the authentication itself.
    let stage = if outcome.is_success() || outcome.stage == pam_app::Stage::Authenticate {
        String::new()
    } else {
        format!(" [{}]", outcome.stage)
    };
    // libpam's own text for a failure is shown as it comes.
    let result = if outcome.is_success() {
        Msg::Success.text(lang).to_owned()
    } else {
        outcome.describe()
    };
    let _ = writeln!(
        out,
        "{}",
        tr!(lang, Msg::PamResult, result = result, stage = stage)
    );
    let _ = out.flush();
    if outcome.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
