//! Reading a service's auth stack the way libpam does: `@include FILE`, `auth include|substack
//! FILE`, `-auth`, `\` continuations and `#` comments, flattened into one list of entries.

use std::fs;
use std::path::{Path, PathBuf};

use super::super::under;
use super::control::{Control, ControlError};
use super::messages::Msg;
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

    pub(crate) fn location(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }

    /// The line as an admin would recognise it: `auth required pam_unix.so`.
    pub(super) fn shown(&self) -> String {
        format!(
            "`{}auth {} {}`",
            if self.dash { "-" } else { "" },
            self.control_text,
            self.module
        )
    }

    pub(crate) fn is_password_module(&self) -> bool {
        PASSWORD_MODULES.contains(&self.module_name())
    }

    pub(crate) fn is_mfa(&self) -> bool {
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
pub(super) fn logical_lines(text: &str) -> Vec<(usize, String)> {
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
pub(super) fn tokens(line: &str) -> Vec<String> {
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
