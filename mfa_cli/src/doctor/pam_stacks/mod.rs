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

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::messages::Msg;
use super::report::Finding;
use super::under;
use crate::i18n::tr;
use mfa_config::Language;

/// Modules that check the password; the first one before pam_mfa is "the password module".
const PASSWORD_MODULES: &[&str] = &[
    "pam_unix.so",
    "pam_unix2.so",
    "pam_sss.so",
    "pam_ldap.so",
    "pam_krb5.so",
    "pam_winbind.so",
    "pam_pwdb.so",
    "pam_userdb.so",
    "pam_systemd_home.so",
];

const MFA_MODULE: &str = "pam_mfa.so";

/// How deep `@include`s may nest before we call it a loop.
const MAX_DEPTH: usize = 16;

/// What libpam does after a module returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Ignore,
    Ok,
    Bad,
    Die,
    Done,
    Reset,
    /// Skip the next N modules.
    Jump(usize),
}

/// Why a control field is not one libpam accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlError {
    UnknownControl { text: String },
    NotValueAction { pair: String, text: String },
    UnknownAction { action: String, text: String },
}

impl ControlError {
    /// The reason in `lang` (the words of the line quoted as they are).
    pub fn text(&self, lang: Language) -> String {
        match self {
            ControlError::UnknownControl { text } => {
                tr!(lang, Msg::UnknownControl, text = format!("{text:?}"))
            }
            ControlError::NotValueAction { pair, text } => tr!(
                lang,
                Msg::NotValueAction,
                pair = format!("{pair:?}"),
                text = format!("{text:?}")
            ),
            ControlError::UnknownAction { action, text } => tr!(
                lang,
                Msg::UnknownAction,
                action = format!("{action:?}"),
                text = format!("{text:?}")
            ),
        }
    }
}

/// A control field: `required`, `requisite`, `sufficient`, `optional`, or `[value=action …]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    actions: BTreeMap<String, Action>,
    default: Action,
}

impl Control {
    /// Parses a control field (keywords in their bracket form, as pam.conf(5) defines them).
    pub fn parse(text: &str) -> Result<Control, ControlError> {
        let brackets = match text.to_ascii_lowercase().as_str() {
            "required" => "success=ok new_authtok_reqd=ok ignore=ignore default=bad".to_owned(),
            "requisite" => "success=ok new_authtok_reqd=ok ignore=ignore default=die".to_owned(),
            "sufficient" => "success=done new_authtok_reqd=done default=ignore".to_owned(),
            "optional" => "success=ok new_authtok_reqd=ok default=ignore".to_owned(),
            _ => text
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .ok_or_else(|| ControlError::UnknownControl {
                    text: text.to_owned(),
                })?
                .to_owned(),
        };
        // libpam leaves values without an action, and a missing default, as "bad".
        let mut control = Control {
            actions: BTreeMap::new(),
            default: Action::Bad,
        };
        for pair in brackets.split_whitespace() {
            let (value, action) =
                pair.split_once('=')
                    .ok_or_else(|| ControlError::NotValueAction {
                        pair: pair.to_owned(),
                        text: text.to_owned(),
                    })?;
            let action = match action.to_ascii_lowercase().as_str() {
                "ignore" => Action::Ignore,
                "ok" => Action::Ok,
                "bad" => Action::Bad,
                "die" => Action::Die,
                "done" => Action::Done,
                "reset" => Action::Reset,
                n => match n.parse::<usize>() {
                    Ok(n) if n > 0 => Action::Jump(n),
                    _ => {
                        return Err(ControlError::UnknownAction {
                            action: action.to_owned(),
                            text: text.to_owned(),
                        });
                    }
                },
            };
            let value = value.to_ascii_lowercase();
            if value == "default" {
                control.default = action;
            } else {
                control.actions.insert(value, action);
            }
        }
        Ok(control)
    }

    /// The action for a module's return value (`success`, `auth_err`, …).
    pub fn action(&self, ret: &str) -> Action {
        self.actions.get(ret).copied().unwrap_or(self.default)
    }
}

/// One `auth` line of the flattened stack.
#[derive(Debug, Clone)]
pub struct Entry {
    pub file: PathBuf,
    pub line: usize,
    pub control_text: String,
    pub control: Result<Control, ControlError>,
    /// As written: a file name in the module directory, or an absolute path.
    pub module: String,
    pub args: Vec<String>,
    /// `-auth`: libpam skips the line silently when the module file is missing.
    pub dash: bool,
}

impl Entry {
    /// `pam_unix.so` for `pam_unix.so` and `/lib/security/pam_unix.so`.
    pub fn module_name(&self) -> &str {
        self.module.rsplit('/').next().unwrap_or(&self.module)
    }

    fn location(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }

    /// The line as an admin would recognise it: `auth required pam_unix.so`.
    fn shown(&self) -> String {
        format!(
            "`{}auth {} {}`",
            if self.dash { "-" } else { "" },
            self.control_text,
            self.module
        )
    }

    fn is_password_module(&self) -> bool {
        PASSWORD_MODULES.contains(&self.module_name())
    }

    fn is_mfa(&self) -> bool {
        self.module_name() == MFA_MODULE
    }
}

/// A line libpam cannot use, where it is (`file:line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackError {
    IncludeWithoutFile {
        at: String,
    },
    AuthLineIncomplete {
        at: String,
    },
    IncludeLoop {
        at: String,
        path: PathBuf,
    },
    IncludeUnreadable {
        at: String,
        path: PathBuf,
        error: String,
    },
}

impl StackError {
    /// The problem in `lang`.
    pub fn text(&self, lang: Language) -> String {
        match self {
            StackError::IncludeWithoutFile { at } => tr!(lang, Msg::IncludeWithoutFile, at = at),
            StackError::AuthLineIncomplete { at } => tr!(lang, Msg::AuthLineIncomplete, at = at),
            StackError::IncludeLoop { at, path } => {
                tr!(lang, Msg::IncludeLoop, at = at, path = path.display())
            }
            StackError::IncludeUnreadable { at, path, error } => tr!(
                lang,
                Msg::IncludeUnreadable,
                at = at,
                path = path.display(),
                error = error
            ),
        }
    }
}

/// A service's auth stack with its includes resolved.
#[derive(Debug, Clone)]
pub struct Stack {
    pub service: String,
    pub path: PathBuf,
    pub entries: Vec<Entry>,
    /// Lines libpam cannot use (missing includes, malformed lines): each makes every
    /// authentication through this stack fail.
    pub errors: Vec<StackError>,
}

impl Stack {
    /// Reads `<pam_dir>/<service>` and the files it includes (`<pam_dir>/NAME`, or absolute
    /// paths under `root`). Fails only when the service's own file cannot be read.
    pub fn load(pam_dir: &Path, root: &Path, service: &str) -> std::io::Result<Stack> {
        let path = pam_dir.join(service);
        let text = fs::read_to_string(&path)?;
        let mut stack = Stack {
            service: service.to_owned(),
            path: path.clone(),
            entries: Vec::new(),
            errors: Vec::new(),
        };
        let mut reader = Reader {
            pam_dir,
            root,
            stack: &mut stack,
            open: vec![path.clone()],
        };
        reader.read_text(&path, &text);
        Ok(stack)
    }
}

struct Reader<'a> {
    pam_dir: &'a Path,
    root: &'a Path,
    stack: &'a mut Stack,
    /// Files being read, outermost first (loop detection).
    open: Vec<PathBuf>,
}

impl Reader<'_> {
    fn read_text(&mut self, path: &Path, text: &str) {
        for (line, content) in logical_lines(text) {
            self.read_line(path, line, &content);
        }
    }

    fn read_line(&mut self, path: &Path, line: usize, content: &str) {
        let tokens = tokens(content);
        let Some(first) = tokens.first() else { return };
        let at = format!("{}:{line}", path.display());
        if first == "@include" {
            match tokens.get(1) {
                Some(name) => self.include(&at, name),
                None => self
                    .stack
                    .errors
                    .push(StackError::IncludeWithoutFile { at }),
            }
            return;
        }
        let (dash, kind) = match first.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, first.as_str()),
        };
        if !kind.eq_ignore_ascii_case("auth") {
            return;
        }
        let (Some(control), Some(module)) = (tokens.get(1), tokens.get(2)) else {
            self.stack
                .errors
                .push(StackError::AuthLineIncomplete { at });
            return;
        };
        if control.eq_ignore_ascii_case("include") || control.eq_ignore_ascii_case("substack") {
            self.include(&at, module);
            return;
        }
        self.stack.entries.push(Entry {
            file: path.to_path_buf(),
            line,
            control_text: control.clone(),
            control: Control::parse(control),
            module: module.clone(),
            args: tokens[3..].to_vec(),
            dash,
        });
    }

    fn include(&mut self, at: &str, name: &str) {
        let path = if name.starts_with('/') {
            under(self.root, Path::new(name))
        } else {
            self.pam_dir.join(name)
        };
        if self.open.contains(&path) || self.open.len() > MAX_DEPTH {
            self.stack.errors.push(StackError::IncludeLoop {
                at: at.to_owned(),
                path,
            });
            return;
        }
        match fs::read_to_string(&path) {
            Ok(text) => {
                self.open.push(path.clone());
                self.read_text(&path, &text);
                self.open.pop();
            }
            Err(e) => self.stack.errors.push(StackError::IncludeUnreadable {
                at: at.to_owned(),
                path,
                error: e.to_string(),
            }),
        }
    }
}

/// Lines with `\`-newline continuations joined and `#` comments removed, each with the number
/// of the line it starts on.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut joined) = pending.take().unwrap_or((i + 1, String::new()));
        let continued = raw.ends_with('\\');
        joined.push_str(raw.strip_suffix('\\').unwrap_or(raw));
        if continued {
            joined.push(' ');
            pending = Some((start, joined));
            continue;
        }
        let content = joined
            .split('#')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if !content.is_empty() {
            out.push((start, content));
        }
    }
    if let Some((start, joined)) = pending {
        let content = joined
            .split('#')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if !content.is_empty() {
            out.push((start, content));
        }
    }
    out
}

/// Whitespace-separated words; a word starting with `[` runs to its `]` (controls and module
/// arguments may contain spaces that way).
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let end = if rest.starts_with('[') {
            rest.find(']').map_or(rest.len(), |i| i + 1)
        } else {
            rest.find(char::is_whitespace).unwrap_or(rest.len())
        };
        out.push(rest[..end].to_owned());
        rest = rest[end..].trim_start();
    }
    out
}

/// How a walk through the stack ended before reaching pam_mfa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    Reached,
    /// `die` or `done` at this entry ended the stack.
    Stopped(usize),
    /// A jump at this entry went past pam_mfa.
    JumpedPast(usize),
}

/// Walks `entries` up to `target` as libpam's dispatcher would, with each module returning
/// `ret(entry)`.
fn walk(entries: &[Entry], target: usize, ret: impl Fn(&Entry) -> &'static str) -> Walk {
    let mut i = 0;
    while i < target {
        let e = &entries[i];
        let action = e.control.as_ref().map_or(Action::Bad, |c| c.action(ret(e)));
        match action {
            Action::Die | Action::Done => return Walk::Stopped(i),
            Action::Jump(n) => {
                let next = i + n + 1;
                if next > target {
                    return Walk::JumpedPast(i);
                }
                i = next;
            }
            _ => i += 1,
        }
    }
    Walk::Reached
}

fn wrong_password(e: &Entry) -> &'static str {
    if e.is_password_module() || e.module_name() == "pam_deny.so" {
        "auth_err"
    } else {
        "success"
    }
}

fn right_password(e: &Entry) -> &'static str {
    if e.module_name() == "pam_deny.so" {
        "auth_err"
    } else {
        "success"
    }
}

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
#[path = "pam_stacks_tests.rs"]
mod tests;
