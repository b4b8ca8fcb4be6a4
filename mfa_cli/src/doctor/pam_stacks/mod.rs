//! The auth stacks of the PAM services pam_mfa protects (`/etc/pam.d/sshd`, `/etc/pam.d/sudo`):
//! read them the way libpam does (`@include FILE`, `auth include|substack FILE`, `-auth`,
//! `[value=action …]` controls, `\` continuations, `#` comments), then check that the password
//! comes first, stops the stack when it is wrong, and is followed by a `pam_mfa.so` that a wrong
//! code cannot get past.
//!
//! Controls are checked by walking the flattened stack the way libpam's dispatcher does (jumps
//! count modules of the flattened list, `die`/`done` end it), once with a wrong and once with a
//! right password. In that walk every password module (pam_unix, pam_sss, …) returns
//! `auth_err` for a wrong password and `success` for a right one, `pam_deny` always `auth_err`,
//! and every other module `success` (pam_env, pam_faildelay, pam_permit, pam_cap …). So Debian's
//! `[success=1 default=ignore] pam_unix.so` + `requisite pam_deny.so` counts as "stops on a wrong
//! password", `required pam_unix.so` as "goes on to the code prompt", and `sufficient` or
//! `success=done` as "a right password ends the stack before the code". A `substack` is read like
//! an `include` (its `die`/`done` would only end the substack; no stack we protect uses one).

mod control;
mod messages;
mod stack;
mod walk;

use std::fs;
use std::path::{Path, PathBuf};

use control::Action;
use messages::Msg;
pub use stack::{Entry, Stack};
use walk::{Walk, right_password, walk, wrong_password};

use super::report::Finding;
use super::under;
use crate::i18n::tr;
use mfa_config::Language;

/// What the stack checks found, and the facts the daemon check needs.
#[derive(Debug, Default)]
pub struct StackReport {
    pub findings: Vec<Finding>,
    /// pam_mfa.so is in the stack.
    pub has_mfa: bool,
    /// The `daemon_uid=N` of the pam_mfa line: the only uid the module then trusts as the
    /// owner of `org.mfa.Mfad1` (instead of root and the `mfad` user).
    pub daemon_uid: Option<u32>,
}

/// Checks one service's stack. `key_first`: sshd asks for a public key before
/// keyboard-interactive in every method list, so an sshd stack with pam_mfa alone is right.
pub fn check(stack: &Stack, root: &Path, key_first: bool, lang: Language) -> StackReport {
    let mut report = StackReport::default();
    let name = &stack.service;
    let path = stack.path.display();
    let out = &mut report.findings;
    for error in &stack.errors {
        out.push(Finding::fail(
            tr!(
                lang,
                Msg::StackError,
                service = name,
                error = error.text(lang)
            ),
            Msg::StackErrorFix.text(lang),
        ));
    }
    for e in &stack.entries {
        if let Err(why) = &e.control {
            out.push(Finding::fail(
                tr!(
                    lang,
                    Msg::BadControl,
                    service = name,
                    line = e.shown(),
                    location = e.location(),
                    why = why.text(lang)
                ),
                Msg::BadControlFix.text(lang),
            ));
        }
    }
    let Some(mfa) = stack.entries.iter().position(Entry::is_mfa) else {
        out.push(Finding::fail(
            tr!(lang, Msg::NoMfa, service = name, path = path),
            missing_mfa_fix(name, &path.to_string(), lang),
        ));
        return report;
    };
    let m = &stack.entries[mfa];
    check_module_file(name, m, root, out, lang);
    report.has_mfa = true;
    report.daemon_uid = check_args(name, m, out, lang);
    check_mfa_control(name, m, out, lang);

    let password = stack.entries[..mfa]
        .iter()
        .position(Entry::is_password_module);
    let Some(pw) = password else {
        if let Some(later) = stack.entries[mfa..].iter().find(|e| e.is_password_module()) {
            out.push(Finding::fail(
                tr!(
                    lang,
                    Msg::MfaBeforePassword,
                    service = name,
                    mfa_at = m.location(),
                    module = later.module_name(),
                    module_at = later.location()
                ),
                tr!(lang, Msg::MfaBeforePasswordFix, path = path),
            ));
        } else if name == "sshd" && key_first {
            out.push(Finding::ok(tr!(
                lang,
                Msg::MfaAloneKeyFirst,
                service = name,
                path = path
            )));
        } else {
            out.push(Finding::warn(
                tr!(lang, Msg::NoPassword, service = name, path = path),
                no_password_fix(name, &path.to_string(), lang),
            ));
        }
        return report;
    };
    let p = &stack.entries[pw];
    match walk(&stack.entries, mfa, right_password) {
        Walk::Reached => {}
        Walk::Stopped(i) | Walk::JumpedPast(i) => {
            let e = &stack.entries[i];
            out.push(Finding::fail(
                tr!(
                    lang,
                    Msg::RightPasswordEnds,
                    service = name,
                    line = e.shown(),
                    location = e.location()
                ),
                tr!(lang, Msg::RightPasswordEndsFix, module = p.module_name()),
            ));
            return report;
        }
    }
    if walk(&stack.entries, mfa, wrong_password) == Walk::Reached {
        out.push(Finding::fail(
            tr!(
                lang,
                Msg::WrongPasswordReaches,
                service = name,
                line = p.shown(),
                location = p.location()
            ),
            tr!(
                lang,
                Msg::WrongPasswordReachesFix,
                module = p.module,
                args = p.args.iter().map(|a| format!(" {a}")).collect::<String>()
            ),
        ));
        return report;
    }
    out.push(Finding::ok(tr!(
        lang,
        Msg::StackOk,
        service = name,
        module = p.module_name(),
        pw_at = p.location(),
        mfa_at = m.location()
    )));
    report
}

/// The first pam_mfa.so line a right password reaches (a stack that ends before it, or has
/// none, reaches none).
pub fn reached_mfa(stack: &Stack) -> Option<&Entry> {
    let mfa = stack.entries.iter().position(Entry::is_mfa)?;
    (walk(&stack.entries, mfa, right_password) == Walk::Reached).then(|| &stack.entries[mfa])
}

fn missing_mfa_fix(service: &str, path: &str, lang: Language) -> String {
    let fix = match service {
        "sshd" => Msg::NoMfaFixSshd,
        "sudo" => Msg::NoMfaFixSudo,
        _ => Msg::NoMfaFixOther,
    };
    tr!(lang, fix, path = path)
}

fn no_password_fix(service: &str, path: &str, lang: Language) -> String {
    let fix = match service {
        "sshd" => Msg::NoPasswordFixSshd,
        _ => Msg::NoPasswordFixOther,
    };
    tr!(lang, fix, path = path)
}

/// The module file must exist: for `auth required` libpam fails every login without it, for
/// `-auth` it silently skips the second factor.
fn check_module_file(
    service: &str,
    e: &Entry,
    root: &Path,
    out: &mut Vec<Finding>,
    lang: Language,
) {
    if module_file_exists(root, &e.module) {
        return;
    }
    let consequence = if e.dash {
        Msg::ModuleMissingDash
    } else {
        Msg::ModuleMissing
    };
    out.push(Finding::fail(
        tr!(
            lang,
            Msg::ModuleNotInstalled,
            service = service,
            module = e.module,
            location = e.location(),
            consequence = consequence.text(lang)
        ),
        Msg::ModuleNotInstalledFix.text(lang),
    ));
}

/// Looks for a module the way libpam does: an absolute path as it is, a name in the module
/// directories (`/lib/security`, `/usr/lib/<multiarch>/security`, …), all under `root`.
pub fn module_file_exists(root: &Path, module: &str) -> bool {
    if module.starts_with('/') {
        return under(root, Path::new(module)).is_file();
    }
    let mut dirs: Vec<PathBuf> = [
        "lib/security",
        "lib64/security",
        "usr/lib/security",
        "usr/lib64/security",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    for base in ["lib", "usr/lib"] {
        if let Ok(list) = fs::read_dir(root.join(base)) {
            dirs.extend(list.flatten().map(|d| d.path().join("security")));
        }
    }
    dirs.iter().any(|d| d.join(module).is_file())
}

/// pam_mfa refuses (fails closed on) any argument its parser refuses; the doctor asks the same
/// parser, one word at a time so each refused word gets its own finding. Returns the
/// `daemon_uid=` (the last one wins, as in the module).
fn check_args(service: &str, e: &Entry, out: &mut Vec<Finding>, lang: Language) -> Option<u32> {
    let mut uid = None;
    for arg in &e.args {
        let reason = match mfa_proto::module_args::parse([arg.as_bytes()]) {
            Ok(parsed) => {
                uid = parsed.daemon_uid.or(uid);
                continue;
            }
            Err(reason) => reason,
        };
        let arg_text = format!("{arg:?}");
        let finding = if arg.starts_with("daemon_uid=") {
            Finding::fail(
                tr!(
                    lang,
                    Msg::NotAUid,
                    service = service,
                    arg = arg_text,
                    location = e.location()
                ),
                Msg::NotAUidFix.text(lang),
            )
        } else {
            Finding::fail(
                tr!(
                    lang,
                    Msg::UnknownArgument,
                    service = service,
                    arg = arg_text,
                    location = e.location(),
                    reason = reason
                ),
                Msg::UnknownArgumentFix.text(lang),
            )
        };
        out.push(finding);
    }
    uid
}

/// A wrong code (and an unreachable daemon) must fail the stack: `bad` or `die`.
fn check_mfa_control(service: &str, e: &Entry, out: &mut Vec<Finding>, lang: Language) {
    let Ok(control) = &e.control else { return };
    for (ret, what) in [
        ("auth_err", Msg::AWrongCode),
        ("maxtries", Msg::ALockedAccount),
        ("authinfo_unavail", Msg::AnUnreachableMfad),
    ] {
        let action = control.action(ret);
        if matches!(action, Action::Bad | Action::Die) {
            continue;
        }
        let (msg, jumps) = match action {
            Action::Jump(_) => (Msg::MfaControlJumps, true),
            _ => (Msg::MfaControlFails, false),
        };
        let finding = tr!(
            lang,
            msg,
            service = service,
            line = e.shown(),
            location = e.location(),
            what = what.text(lang)
        );
        let fix = Msg::MfaControlFix.text(lang);
        out.push(if jumps {
            Finding::warn(finding, fix)
        } else {
            Finding::fail(finding, fix)
        });
        return;
    }
}

#[cfg(test)]
mod tests;
