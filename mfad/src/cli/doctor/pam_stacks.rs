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

use super::report::Finding;
use super::under;

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

/// Arguments pam_mfa.so accepts (`pam_mfa/src/args.rs`), and whether each takes `=VALUE`. The
/// module fails closed on anything else, so an unknown one locks everybody out.
const MFA_ARGS: &[(&str, bool)] = &[
    ("bus", true),
    ("daemon_uid", true),
    ("timeout", true),
    ("nodelay", false),
    ("debug", false),
];

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

/// A control field: `required`, `requisite`, `sufficient`, `optional`, or `[value=action …]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    actions: BTreeMap<String, Action>,
    default: Action,
}

impl Control {
    /// Parses a control field (keywords in their bracket form, as pam.conf(5) defines them).
    pub fn parse(text: &str) -> Result<Control, String> {
        let brackets = match text.to_ascii_lowercase().as_str() {
            "required" => "success=ok new_authtok_reqd=ok ignore=ignore default=bad".to_owned(),
            "requisite" => "success=ok new_authtok_reqd=ok ignore=ignore default=die".to_owned(),
            "sufficient" => "success=done new_authtok_reqd=done default=ignore".to_owned(),
            "optional" => "success=ok new_authtok_reqd=ok default=ignore".to_owned(),
            _ => text
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .ok_or_else(|| format!("unknown control {text:?}"))?
                .to_owned(),
        };
        // libpam leaves values without an action, and a missing default, as "bad".
        let mut control = Control {
            actions: BTreeMap::new(),
            default: Action::Bad,
        };
        for pair in brackets.split_whitespace() {
            let (value, action) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} in {text:?} is not value=action"))?;
            let action = match action.to_ascii_lowercase().as_str() {
                "ignore" => Action::Ignore,
                "ok" => Action::Ok,
                "bad" => Action::Bad,
                "die" => Action::Die,
                "done" => Action::Done,
                "reset" => Action::Reset,
                n => match n.parse::<usize>() {
                    Ok(n) if n > 0 => Action::Jump(n),
                    _ => return Err(format!("unknown action {action:?} in {text:?}")),
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
    pub control: Result<Control, String>,
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

/// A service's auth stack with its includes resolved.
#[derive(Debug, Clone)]
pub struct Stack {
    pub service: String,
    pub path: PathBuf,
    pub entries: Vec<Entry>,
    /// Lines libpam cannot use (missing includes, malformed lines): each makes every
    /// authentication through this stack fail.
    pub errors: Vec<String>,
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
                    .push(format!("{at}: @include without a file")),
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
                .push(format!("{at}: an auth line needs a control and a module"));
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
            self.stack
                .errors
                .push(format!("{at}: includes {} in a loop", path.display()));
            return;
        }
        match fs::read_to_string(&path) {
            Ok(text) => {
                self.open.push(path.clone());
                self.read_text(&path, &text);
                self.open.pop();
            }
            Err(e) => self.stack.errors.push(format!(
                "{at}: includes {}, which cannot be read ({e})",
                path.display()
            )),
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
pub fn check(stack: &Stack, root: &Path, key_first: bool) -> StackReport {
    let mut report = StackReport::default();
    let name = &stack.service;
    let path = stack.path.display();
    let out = &mut report.findings;
    for error in &stack.errors {
        out.push(Finding::fail(
            format!("{name}: {error}: libpam fails every authentication through this stack"),
            "fix or remove that line",
        ));
    }
    for e in &stack.entries {
        if let Err(why) = &e.control {
            out.push(Finding::fail(
                format!(
                    "{name}: {} at {}: {why}: libpam fails every authentication through this stack",
                    e.shown(),
                    e.location()
                ),
                "use required, requisite, sufficient, optional or [value=action …] (pam.conf(5))",
            ));
        }
    }
    let Some(mfa) = stack.entries.iter().position(Entry::is_mfa) else {
        out.push(Finding::fail(
            format!(
                "{name}: pam_mfa.so is not in the auth stack of {path}: {name} logins are not \
                 protected by a second factor"
            ),
            missing_mfa_fix(name, &path.to_string()),
        ));
        return report;
    };
    let m = &stack.entries[mfa];
    check_module_file(name, m, root, out);
    report.has_mfa = true;
    report.daemon_uid = check_args(name, m, out);
    check_mfa_control(name, m, out);

    let password = stack.entries[..mfa]
        .iter()
        .position(Entry::is_password_module);
    let Some(pw) = password else {
        if let Some(later) = stack.entries[mfa..].iter().find(|e| e.is_password_module()) {
            out.push(Finding::fail(
                format!(
                    "{name}: pam_mfa.so ({}) comes before the password module {} ({}): the code \
                     is asked before the password, of anyone who tries",
                    m.location(),
                    later.module_name(),
                    later.location()
                ),
                format!("in {path}, move `auth required pam_mfa.so` after the password module"),
            ));
        } else if name == "sshd" && key_first {
            out.push(Finding::ok(format!(
                "{name}: pam_mfa.so alone in {path}; sshd asks for a public key first \
                 (AuthenticationMethods publickey,keyboard-interactive)"
            )));
        } else {
            out.push(Finding::warn(
                format!(
                    "{name}: no password module before pam_mfa.so in {path}: the code alone \
                     logs in"
                ),
                no_password_fix(name, &path.to_string()),
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
                format!(
                    "{name}: a right password ends the stack before pam_mfa.so: {} at {} \
                     succeeds without asking for the code",
                    e.shown(),
                    e.location()
                ),
                format!(
                    "make the password module requisite (`auth requisite {} …`) and keep \
                     `auth required pam_mfa.so` after it",
                    p.module_name()
                ),
            ));
            return report;
        }
    }
    if walk(&stack.entries, mfa, wrong_password) == Walk::Reached {
        out.push(Finding::fail(
            format!(
                "{name}: a wrong password still reaches the code prompt: {} at {} does not stop \
                 the stack. Anyone can then type wrong codes until the account is locked, and \
                 each attempt will cost a text message once SMS is enabled",
                p.shown(),
                p.location()
            ),
            format!(
                "make it requisite: `auth requisite {}{}` (see the README, \"Installing by hand\")",
                p.module,
                p.args.iter().map(|a| format!(" {a}")).collect::<String>()
            ),
        ));
        return report;
    }
    out.push(Finding::ok(format!(
        "{name}: password ({} at {}), then code (pam_mfa.so at {}); a wrong password stops \
         before the code prompt",
        p.module_name(),
        p.location(),
        m.location()
    )));
    report
}

fn missing_mfa_fix(service: &str, path: &str) -> String {
    match service {
        "sshd" => format!(
            "in {path}, replace `@include common-auth` with `auth requisite pam_unix.so nullok` \
             and `auth required pam_mfa.so` (README, \"Installing by hand\")"
        ),
        "sudo" => format!("in {path}, add `auth required pam_mfa.so` after `@include common-auth`"),
        _ => format!("in {path}, add `auth required pam_mfa.so` after the password module"),
    }
}

fn no_password_fix(service: &str, path: &str) -> String {
    match service {
        "sshd" => format!(
            "put `auth requisite pam_unix.so nullok` before pam_mfa.so in {path}, or make sshd \
             ask for a key first: `AuthenticationMethods publickey,keyboard-interactive`"
        ),
        _ => format!("put `@include common-auth` before pam_mfa.so in {path}"),
    }
}

/// The module file must exist: for `auth required` libpam fails every login without it, for
/// `-auth` it silently skips the second factor.
fn check_module_file(service: &str, e: &Entry, root: &Path, out: &mut Vec<Finding>) {
    if module_file_exists(root, &e.module) {
        return;
    }
    let consequence = if e.dash {
        "libpam skips the line (`-auth`), so logins are not protected by a second factor"
    } else {
        "libpam cannot load it, so every login through this stack fails"
    };
    out.push(Finding::fail(
        format!(
            "{service}: {} ({}) is not installed: {consequence}",
            e.module,
            e.location()
        ),
        "install -m 0644 target/release/libpam_mfa.so /usr/lib/x86_64-linux-gnu/security/pam_mfa.so \
         (the module directory of your architecture)",
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

/// pam_mfa refuses (fails closed on) arguments it does not know. Returns the `daemon_uid=`
/// (the last one wins, as in the module).
fn check_args(service: &str, e: &Entry, out: &mut Vec<Finding>) -> Option<u32> {
    let mut uid = None;
    for arg in &e.args {
        let (key, value) = match arg.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (arg.as_str(), None),
        };
        let known = MFA_ARGS
            .iter()
            .any(|&(k, takes_value)| k == key && takes_value == value.is_some());
        if !known {
            out.push(Finding::fail(
                format!(
                    "{service}: pam_mfa.so argument {arg:?} at {} is unknown: the module fails \
                     closed, so every login through this stack fails",
                    e.location()
                ),
                "remove it; the module takes bus=unix:path=…, daemon_uid=N, timeout=SECONDS, \
                 nodelay and debug",
            ));
        } else if key == "daemon_uid" {
            match value.and_then(|v| v.parse().ok()) {
                Some(n) => uid = Some(n),
                None => out.push(Finding::fail(
                    format!(
                        "{service}: {arg:?} at {} is not a uid: the module fails closed",
                        e.location()
                    ),
                    "use daemon_uid=N with the numeric uid mfad runs as",
                )),
            }
        }
    }
    uid
}

/// A wrong code (and an unreachable daemon) must fail the stack: `bad` or `die`.
fn check_mfa_control(service: &str, e: &Entry, out: &mut Vec<Finding>) {
    let Ok(control) = &e.control else { return };
    for (ret, what) in [
        ("auth_err", "a wrong code"),
        ("maxtries", "a locked account"),
        ("authinfo_unavail", "an unreachable mfad"),
    ] {
        let action = control.action(ret);
        if matches!(action, Action::Bad | Action::Die) {
            continue;
        }
        let finding = format!(
            "{service}: {} at {}: {what} does not stop the login",
            e.shown(),
            e.location()
        );
        let fix = "use `auth required pam_mfa.so`";
        out.push(match action {
            Action::Jump(_) => Finding::warn(
                format!("{finding} here, but jumps: check by hand that a failing module follows"),
                fix,
            ),
            _ => Finding::fail(finding, fix),
        });
        return;
    }
}

#[cfg(test)]
#[path = "pam_stacks_tests.rs"]
mod tests;
