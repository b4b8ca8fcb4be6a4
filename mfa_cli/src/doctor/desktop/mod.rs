//! Lock screens and display managers whose screens cannot show what pam_mfa asks by default
//! (issue 14): for each program of [`rules::RULES`] whose pam.d file exists, does the auth
//! stack a right password walks through reach pam_mfa.so, and does that line carry what the
//! program needs (`single_buffer=`, `min_time=` + `unavail=auth_err`, `render=oneline`)?
//!
//! A stack without pam_mfa.so that includes common-auth is fine today, but `pam-auth-update
//! --enable mfa` would put pam_mfa.so there with none of those arguments: those are reported
//! apart ([`DesktopReport::before_enable`]) so `mfa admin enable-pam` can refuse on them.

mod messages;
pub mod rules;

use std::path::Path;
use std::time::Duration;

use super::pam_stacks::{Entry, Stack, reached_mfa};
use super::report::Finding;
use super::under;
use crate::i18n::tr;
use messages::Msg;
use mfa_config::Language;
use mfa_proto::Render;
use mfa_proto::module_args::{ModuleArgs, Unavail};
use rules::{Need, RULES, Rule};

/// kscreenlocker calls a stack that answers within this long "unavailable".
const KSCREENLOCKER_TOO_FAST: Duration = Duration::from_millis(50);

/// The file of the shared stack that `pam-auth-update` manages.
const COMMON_AUTH: &str = "common-auth";

#[derive(Debug, Default)]
pub struct DesktopReport {
    /// About the stacks as they are.
    pub findings: Vec<Finding>,
    /// Programs that `pam-auth-update --enable mfa` would lock out (WARN each).
    pub before_enable: Vec<Finding>,
}

/// Checks every program of [`RULES`] installed under `root`.
pub fn check(root: &Path, lang: Language) -> DesktopReport {
    let pam_dir = under(root, Path::new("/etc/pam.d"));
    let mut report = DesktopReport::default();
    for rule in RULES {
        if rule
            .installed
            .is_some_and(|marker| !under(root, Path::new(marker)).exists())
        {
            continue;
        }
        // A missing (or unreadable) file: the program is not installed, or libpam falls back
        // to `other`, which is not this program's to fix.
        let Ok(stack) = Stack::load(&pam_dir, root, rule.service) else {
            continue;
        };
        check_stack(rule, &stack, lang, &mut report);
    }
    report
}

fn check_stack(rule: &Rule, stack: &Stack, lang: Language, report: &mut DesktopReport) {
    let path = stack.path.display().to_string();
    let Some(mfa) = reached_mfa(stack) else {
        let has_mfa = stack.entries.iter().any(Entry::is_mfa);
        if !has_mfa && includes_common_auth(stack) && is_lockout(rule.need) {
            report.before_enable.push(Finding::warn(
                tr!(
                    lang,
                    Msg::BeforeEnable,
                    program = rule.program,
                    path = path,
                    problem = problem(rule, lang)
                ),
                fix(rule, &path, lang),
            ));
        }
        return;
    };
    let args = match mfa_proto::module_args::parse(mfa.args.iter().map(|a| a.as_bytes())) {
        Ok(args) => args,
        Err(reason) => {
            report.findings.push(Finding::fail(
                tr!(
                    lang,
                    Msg::ArgsRefused,
                    program = rule.program,
                    location = mfa.location(),
                    reason = reason,
                    path = path
                ),
                Msg::ArgsRefusedFix.text(lang),
            ));
            return;
        }
    };
    let finding = match missing(rule, &args) {
        Some(arg) => {
            let text = tr!(
                lang,
                Msg::Reaches,
                program = rule.program,
                path = path,
                location = mfa.location(),
                arg = arg,
                problem = problem(rule, lang)
            );
            if is_lockout(rule.need) {
                Finding::warn(text, fix(rule, &path, lang))
            } else {
                Finding::info(text, fix(rule, &path, lang))
            }
        }
        None if matches!(rule.need, Need::SingleBuffer | Need::NoSecondPrompt) => {
            single_buffer_order(rule, stack, mfa, &args, lang)
        }
        None => Finding::ok(tr!(
            lang,
            Msg::Fine,
            program = rule.program,
            path = path,
            location = mfa.location(),
            arg = present(rule.need, &args)
        )),
    };
    report.findings.push(finding);
}

/// Needs whose absence keeps people out (the rest only makes prompts worse to read).
fn is_lockout(need: Need) -> bool {
    matches!(
        need,
        Need::SingleBuffer | Need::NoSecondPrompt | Need::LockScreenSafe
    )
}

fn includes_common_auth(stack: &Stack) -> bool {
    stack
        .entries
        .iter()
        .any(|e| e.file.file_name().is_some_and(|n| n == COMMON_AUTH))
}

/// What the line lacks for `need`, as the admin would write it; `None` when it has it.
fn missing(rule: &Rule, args: &ModuleArgs) -> Option<String> {
    match rule.need {
        Need::SingleBuffer | Need::NoSecondPrompt => args
            .single_buffer
            .is_none()
            .then(|| "single_buffer=".to_owned()),
        Need::LockScreenSafe => {
            let mut lacks = Vec::new();
            if args.min_time <= KSCREENLOCKER_TOO_FAST {
                lacks.push("min_time= (over 50 ms)");
            }
            if args.unavail != Unavail::AuthErr {
                lacks.push("unavail=auth_err");
            }
            (!lacks.is_empty()).then(|| lacks.join(", "))
        }
        Need::OneLine | Need::OneLineOwnService => {
            // Without render= the daemon decides by the service's name.
            let render = args.render.unwrap_or(Render::for_service(rule.service));
            (render != Render::OneLine).then(|| "render=oneline".to_owned())
        }
    }
}

/// What the line has for `need` (when [`missing`] found nothing).
fn present(need: Need, args: &ModuleArgs) -> String {
    match need {
        Need::SingleBuffer | Need::NoSecondPrompt => {
            format!("single_buffer={}", args.single_buffer.unwrap_or('+'))
        }
        Need::LockScreenSafe => format!("min_time={} unavail=auth_err", args.min_time.as_millis()),
        Need::OneLine | Need::OneLineOwnService => "render=oneline".to_owned(),
    }
}

/// With `single_buffer=`, the password module must come after pam_mfa.so and take the
/// password pam_mfa.so split off (`use_first_pass`); before it, it gets password+code.
fn single_buffer_order(
    rule: &Rule,
    stack: &Stack,
    mfa: &Entry,
    args: &ModuleArgs,
    lang: Language,
) -> Finding {
    let path = stack.path.display().to_string();
    let at = stack
        .entries
        .iter()
        .position(|e| std::ptr::eq(e, mfa))
        .unwrap_or(0);
    let before = stack.entries[..at].iter().find(|e| e.is_password_module());
    let after = stack.entries[at..].iter().find(|e| e.is_password_module());
    let first_pass = |e: &Entry| {
        e.args
            .iter()
            .any(|a| a == "use_first_pass" || a == "try_first_pass")
    };
    let problem = match (before, after) {
        (Some(p), _) => Some((Msg::SingleBufferPasswordFirst, p)),
        (None, Some(p)) if !first_pass(p) => Some((Msg::SingleBufferNoFirstPass, p)),
        _ => None,
    };
    match problem {
        Some((msg, p)) => Finding::warn(
            tr!(
                lang,
                msg,
                program = rule.program,
                path = path,
                module = p.module_name(),
                module_at = p.location(),
                location = mfa.location()
            ),
            fix(rule, &path, lang),
        ),
        None => Finding::ok(tr!(
            lang,
            Msg::Fine,
            program = rule.program,
            path = path,
            location = mfa.location(),
            arg = present(rule.need, args)
        )),
    }
}

fn problem(rule: &Rule, lang: Language) -> String {
    let msg = match rule.need {
        Need::SingleBuffer => Msg::SingleBufferProblem,
        Need::NoSecondPrompt => Msg::NoSecondPromptProblem,
        Need::LockScreenSafe => Msg::LockScreenProblem,
        Need::OneLine | Need::OneLineOwnService => Msg::OneLineProblem,
    };
    tr!(lang, msg, program = rule.program)
}

fn fix(rule: &Rule, path: &str, lang: Language) -> String {
    let msg = match rule.need {
        Need::SingleBuffer => Msg::SingleBufferFix,
        Need::NoSecondPrompt => Msg::NoSecondPromptFix,
        Need::LockScreenSafe => Msg::LockScreenFix,
        Need::OneLine => Msg::OneLineFix,
        Need::OneLineOwnService => Msg::OneLineOwnServiceFix,
    };
    tr!(lang, msg, path = path)
}

#[cfg(test)]
mod tests;
