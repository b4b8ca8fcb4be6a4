//! `mfa doctor`: finds what would break logins, or leave them unprotected, and says how to fix
//! each problem. One check group per file:
//!
//! - `activation`: whether D-Bus activation would really start a stopped mfad;
//! - `daemon`: mfad's config loads (the same check as `mfad --check-config`), and mfad owns
//!   `org.mfa.Mfad1` on the system bus as a uid pam_mfa trusts;
//! - `pam_stacks`: `/etc/pam.d/sshd` and `/etc/pam.d/sudo` run a password module that stops on
//!   a wrong password, then a pam_mfa.so that a wrong code cannot get past;
//! - `sshd_config`: sshd runs PAM through keyboard-interactive and never through the
//!   "password" method;
//! - `state_dir`: the daemon's user (`mfad`) can read every file of the state directory;
//! - `store`: with `[store] kind = "postgres"`, the database answers with a current schema;
//! - `clock`: the clock is synchronised (TOTP codes are the time);
//! - `desktop`: lock screens and display managers get the pam_mfa.so arguments their screens
//!   need (`single_buffer=` for i3lock and swaylock, …; the table is `desktop/rules.rs`);
//! - `users`: under `unenrolled = "deny"`, nobody who can log in has nothing enrolled — these
//!   lockout risks are printed first, apart, under "Would lock out:";
//! - `report`: how findings are printed;
//! - `messages`: every text of the findings, in English and Dutch.
//!
//! The findings are worded in the caller's language as mfad reports it (`Enroll.Status`), else
//! in the checked config's `[daemon] language`, else in English.
//!
//! Exit code 0 without FAIL lines, 1 with. `--root DIR` reads `/etc` files under DIR (a sample
//! tree, a mounted image); the bus and the clock are always this machine's.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod activation;
mod clock;
mod daemon;
mod desktop;
mod messages;
mod pam_stacks;
mod report;
mod sshd_config;
mod state_dir;
mod store;
mod users;

pub(crate) use report::render_lockouts;
pub use report::{Finding, Level, Report};
pub(crate) use store::mfad_binary;

use crate::i18n::{self, tr};
use messages::Msg;
use mfa_config::Language;
use pam_stacks::Stack;
use sshd_config::SshdConfig;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read /etc/pam.d, /etc/ssh, /etc/passwd, … under DIR instead of / (to check a sample or
    /// mounted tree; the bus and the clock are still this machine's).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// mfad's configuration file [default: <root>/etc/mfa/mfad.toml].
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Leave out the clock check (e.g. when checking another machine's tree).
    #[arg(long)]
    pub skip_clock: bool,
}

/// The PAM services pam_mfa protects here, and the file that shows each one is installed.
const SERVICES: &[(&str, &str)] = &[("sshd", "/etc/ssh/sshd_config"), ("sudo", "/etc/sudoers")];

/// Runs every check, prints the report, and exits 1 if anything FAILed.
pub fn run(args: &Args) -> ExitCode {
    let (report, lang) = diagnose(args);
    print!("{}", report.render(lang));
    if report.has_failures() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Does the auth stack of `service` in `pam_dir` (its includes resolved the way libpam does)
/// run pam_mfa.so? None when the service's file cannot be read (libpam then uses `other`).
pub(crate) fn stack_runs_mfa(pam_dir: &Path, service: &str) -> Option<bool> {
    let stack = Stack::load(pam_dir, Path::new("/"), service).ok()?;
    Some(stack.entries.iter().any(|e| e.is_mfa()))
}

/// `path` (absolute) inside `root`: `under("/tmp/t", "/etc/pam.d")` is `/tmp/t/etc/pam.d`.
pub(crate) fn under(root: &Path, path: &Path) -> PathBuf {
    root.join(path.strip_prefix("/").unwrap_or(path))
}

/// What every check starts from: the config as the daemon would load it, the bus, and the
/// language the findings are worded in.
struct Start {
    config_path: PathBuf,
    loaded: Result<mfa_config::Config, Vec<mfa_config::Problem>>,
    runtime: std::io::Result<tokio::runtime::Runtime>,
    conn: Result<zbus::Connection, String>,
    lang: Language,
}

fn start(root: &Path, config: Option<&Path>) -> Start {
    let config_path = config
        .map(Path::to_path_buf)
        .unwrap_or_else(|| under(root, Path::new(mfa_config::DEFAULT_PATH)));
    // The daemon's own verdict (mfa_config::check): gateway secrets are checked too (credentials
    // only under systemd).
    let check = mfa_config::check::Mode::Check {
        credentials_dir: None,
    };
    let loaded = mfa_config::check::check(&config_path, check);
    let config_lang = loaded.as_ref().map_or(Language::En, |c| c.daemon.language);

    // The bus first: every finding is worded in the language mfad knows for the caller.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let (conn, lang) = match &runtime {
        Ok(rt) => rt.block_on(async {
            let conn = daemon::connect(config_lang).await;
            let lang = match &conn {
                Ok(c) => i18n::from_daemon(c).await.unwrap_or(config_lang),
                Err(_) => config_lang,
            };
            (conn, lang)
        }),
        Err(_) => (Err(String::new()), config_lang),
    };
    Start {
        config_path,
        loaded,
        runtime,
        conn,
        lang,
    }
}

/// What `pam-auth-update --enable mfa` would lock out, under `root` with the config at `config`
/// (default `<root>/etc/mfa/mfad.toml`): users with nothing enrolled where the policy denies
/// them, and programs that cannot answer pam_mfa.so from common-auth (one WARN each). `Err`
/// says why the users could not be checked. Worded in the language returned.
pub(crate) fn enable_risks(
    root: &Path,
    config: Option<&Path>,
) -> (Result<Vec<Finding>, String>, Language) {
    let Start {
        config_path,
        loaded,
        runtime,
        conn,
        lang,
    } = start(root, config);
    let (config, _) = daemon::check_config(&config_path, loaded, lang);
    let users = match &runtime {
        Ok(rt) => {
            rt.block_on(check_daemon_and_users(
                root,
                conn.as_ref(),
                config.as_ref(),
                &[],
                lang,
            ))
            .1
        }
        Err(e) => users::UserFindings::other(Finding::skip(tr!(lang, Msg::NoRuntime, error = e))),
    };
    if let Some(why) = users.others.iter().find(|f| f.level == Level::Skip) {
        return (Err(why.text.clone()), lang);
    }
    let mut risks = users.lockouts;
    risks.extend(desktop::check(root, lang).before_enable);
    (Ok(risks), lang)
}

/// Runs every check and returns what it found, in the order printed, worded in the language
/// returned: the caller's own as mfad reports it, else the checked config's `[daemon]
/// language`, else English.
pub fn diagnose(args: &Args) -> (Report, Language) {
    let root = args.root.as_path();
    let Start {
        config_path,
        loaded,
        runtime,
        conn,
        lang,
    } = start(root, args.config.as_deref());

    let (config, config_findings) = daemon::check_config(&config_path, loaded, lang);

    let sshd_path = under(root, Path::new("/etc/ssh/sshd_config"));
    let (sshd, sshd_findings) = match SshdConfig::load(root) {
        Ok(c) => {
            let r = sshd_config::check(&c, lang);
            (Some(r.key_first), r.findings)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, Vec::new()),
        Err(e) => (
            None,
            vec![Finding::fail(
                tr!(
                    lang,
                    Msg::SshdConfigUnreadable,
                    path = sshd_path.display(),
                    error = e
                ),
                Msg::SshdConfigUnreadableFix.text(lang),
            )],
        ),
    };

    let (stack_findings, trust) = check_stacks(root, sshd.unwrap_or(false), lang);

    let (daemon_findings, user_findings) = match &runtime {
        Ok(rt) => rt.block_on(check_daemon_and_users(
            root,
            conn.as_ref(),
            config.as_ref(),
            &trust,
            lang,
        )),
        Err(e) => (
            vec![Finding::fail(
                tr!(lang, Msg::NoRuntime, error = e),
                Msg::NoRuntimeFix.text(lang),
            )],
            users::UserFindings::other(Finding::skip(Msg::UsersNotChecked.text(lang))),
        ),
    };
    let desktop = desktop::check(root, lang);

    let mut report = Report::default();
    for lockout in user_findings.lockouts {
        report.add_lockout(lockout);
    }
    report.extend(config_findings);
    if let Some(store) = config
        .as_ref()
        .and_then(|c| store::check(c, &config_path, lang))
    {
        report.add(store);
    }
    if let Some(state) = config
        .as_ref()
        .and_then(|c| state_dir::check(root, &c.daemon.state_dir, lang))
    {
        report.add(state);
    }
    report.extend(daemon_findings);
    report.extend(stack_findings);
    report.extend(desktop.findings);
    // Not a problem today, but `pam-auth-update --enable mfa` would make it one.
    report.extend(
        desktop
            .before_enable
            .into_iter()
            .map(|f| Finding::info(f.text, f.fix.unwrap_or_default())),
    );
    report.extend(sshd_findings);
    if !args.skip_clock {
        let tolerance = config.as_ref().map(|c| c.totp.window * c.totp.period);
        report.add(clock::check(tolerance, lang));
    }
    report.extend(user_findings.others);
    (report, lang)
}

/// The stacks of [`SERVICES`]; also returns, for each stack with pam_mfa, its `daemon_uid=`.
fn check_stacks(
    root: &Path,
    key_first: bool,
    lang: Language,
) -> (Vec<Finding>, Vec<(String, Option<u32>)>) {
    let pam_dir = under(root, Path::new("/etc/pam.d"));
    let mut findings = Vec::new();
    let mut trust = Vec::new();
    for &(service, marker) in SERVICES {
        let marker = under(root, Path::new(marker));
        if !marker.exists() {
            findings.push(Finding::skip(tr!(
                lang,
                Msg::NotInstalled,
                service = service,
                marker = marker.display()
            )));
            continue;
        }
        match Stack::load(&pam_dir, root, service) {
            Ok(stack) => {
                let r = pam_stacks::check(&stack, root, key_first, lang);
                if r.has_mfa {
                    trust.push((service.to_owned(), r.daemon_uid));
                }
                findings.extend(r.findings);
            }
            Err(e) => {
                let path = pam_dir.join(service);
                findings.push(Finding::fail(
                    tr!(
                        lang,
                        Msg::StackUnreadable,
                        service = service,
                        path = path.display(),
                        error = e,
                        other = pam_dir.join("other").display()
                    ),
                    tr!(lang, Msg::StackUnreadableFix, path = path.display()),
                ));
            }
        }
    }
    (findings, trust)
}

async fn check_daemon_and_users(
    root: &Path,
    conn: Result<&zbus::Connection, &String>,
    config: Option<&mfa_config::Config>,
    trust: &[(String, Option<u32>)],
    lang: Language,
) -> (Vec<Finding>, users::UserFindings) {
    let (daemon_findings, reachable) =
        daemon::check_name(root, conn.map_err(String::as_str), trust, lang).await;
    let skip = |msg: Msg| users::UserFindings::other(Finding::skip(msg.text(lang)));
    let users = if !nix::unistd::geteuid().is_root() {
        skip(Msg::UsersNotRoot)
    } else if !reachable {
        skip(Msg::UsersDaemonDown)
    } else {
        match (conn, config) {
            (Ok(conn), Some(config)) => check_users(root, conn, config, lang).await,
            (_, None) => skip(Msg::UsersConfigBad),
            (Err(_), _) => skip(Msg::UsersNoBus),
        }
    };
    (daemon_findings, users)
}

async fn check_users(
    root: &Path,
    conn: &zbus::Connection,
    config: &mfa_config::Config,
    lang: Language,
) -> users::UserFindings {
    let passwd_path = under(root, Path::new("/etc/passwd"));
    let passwd = match std::fs::read_to_string(&passwd_path) {
        Ok(t) => t,
        Err(e) => {
            // Nobody knows who would be locked out: a risk in itself.
            return users::UserFindings {
                lockouts: vec![Finding::warn(
                    tr!(
                        lang,
                        Msg::PasswdUnreadable,
                        path = passwd_path.display(),
                        error = e
                    ),
                    Msg::PasswdUnreadableFix.text(lang),
                )],
                others: Vec::new(),
            };
        }
    };
    let login_defs =
        std::fs::read_to_string(under(root, Path::new("/etc/login.defs"))).unwrap_or_default();
    let list = users::login_users(&passwd, users::uid_min(&login_defs));
    users::check(conn, config, &list, lang).await
}
