//! Reading `sshd_config` and its `Include`s into global directives and `Match` blocks.

use std::fs;
use std::path::{Path, PathBuf};

use super::super::messages::Msg;
use super::super::under;
use super::glob::glob;
use crate::i18n::tr;
use mfa_config::Language;

/// sshd's own limit on nested `Include`s.
const MAX_DEPTH: usize = 16;

/// One `Keyword value…` line.
#[derive(Debug, Clone)]
pub struct Directive {
    /// Lower case.
    pub key: String,
    pub args: Vec<String>,
    pub file: PathBuf,
    pub line: usize,
}

impl Directive {
    /// The first value, lower case ("" when there is none).
    pub(super) fn word(&self) -> String {
        self.args
            .first()
            .map(|a| a.to_ascii_lowercase())
            .unwrap_or_default()
    }

    pub(super) fn location(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }

    pub(super) fn is_yes(&self) -> bool {
        self.word() == "yes"
    }
}

/// `Match criteria…` and the lines under it.
#[derive(Debug, Clone)]
pub struct MatchBlock {
    pub criteria: String,
    pub file: PathBuf,
    pub line: usize,
    pub directives: Vec<Directive>,
}

/// The whole configuration, includes resolved.
#[derive(Debug, Clone, Default)]
pub struct SshdConfig {
    /// The main file, `<root>/etc/ssh/sshd_config`.
    pub main: PathBuf,
    pub global: Vec<Directive>,
    pub matches: Vec<MatchBlock>,
    /// Includes sshd would refuse (too deep).
    pub errors: Vec<SshdError>,
}

/// Something sshd refuses to start with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SshdError {
    /// `file:line` of an `Include` nested too deeply.
    IncludeTooDeep { at: String },
}

impl SshdError {
    /// The problem in `lang`.
    pub fn text(&self, lang: Language) -> String {
        match self {
            SshdError::IncludeTooDeep { at } => tr!(lang, Msg::IncludeTooDeep, at = at),
        }
    }
}

impl SshdConfig {
    /// Reads `<root>/etc/ssh/sshd_config` and everything it includes. Fails only when the main
    /// file cannot be read.
    pub fn load(root: &Path) -> std::io::Result<SshdConfig> {
        let main = under(root, Path::new("/etc/ssh/sshd_config"));
        let text = fs::read_to_string(&main)?;
        Ok(SshdConfig::parse(root, &main, &text))
    }

    /// Parses `text` as the main file at `main`; includes are read under `root`.
    pub fn parse(root: &Path, main: &Path, text: &str) -> SshdConfig {
        let mut config = SshdConfig {
            main: main.to_path_buf(),
            ..SshdConfig::default()
        };
        config.read(root, main, text, 0, None);
        config
    }

    fn read(&mut self, root: &Path, path: &Path, text: &str, depth: usize, ctx: Option<usize>) {
        let mut ctx = ctx;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let Some((key, args)) = split_line(raw) else {
                continue;
            };
            match key.as_str() {
                "include" => {
                    for pattern in &args {
                        self.include(root, path, line, pattern, depth, ctx);
                    }
                }
                "match" => {
                    self.matches.push(MatchBlock {
                        criteria: args.join(" "),
                        file: path.to_path_buf(),
                        line,
                        directives: Vec::new(),
                    });
                    ctx = Some(self.matches.len() - 1);
                }
                _ => {
                    let d = Directive {
                        key,
                        args,
                        file: path.to_path_buf(),
                        line,
                    };
                    match ctx {
                        Some(m) => self.matches[m].directives.push(d),
                        None => self.global.push(d),
                    }
                }
            }
        }
    }

    fn include(
        &mut self,
        root: &Path,
        from: &Path,
        line: usize,
        pattern: &str,
        depth: usize,
        ctx: Option<usize>,
    ) {
        if depth >= MAX_DEPTH {
            self.errors.push(SshdError::IncludeTooDeep {
                at: format!("{}:{line}", from.display()),
            });
            return;
        }
        let absolute = if pattern.starts_with('/') {
            PathBuf::from(pattern)
        } else {
            Path::new("/etc/ssh").join(pattern)
        };
        for file in glob(&under(root, &absolute)) {
            // Unreadable includes are sshd's problem to report (`sshd -t`); skip them here.
            if let Ok(text) = fs::read_to_string(&file) {
                self.read(root, &file, &text, depth + 1, ctx);
            }
        }
    }
}

/// `Keyword args…` of one line (keyword lower case), or `None` for blank and comment lines.
pub(super) fn split_line(raw: &str) -> Option<(String, Vec<String>)> {
    let line = raw.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let end = line
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(line.len());
    let key = line[..end].to_ascii_lowercase();
    let mut rest = line[end..].trim_start();
    if let Some(r) = rest.strip_prefix('=') {
        rest = r.trim_start();
    }
    Some((key, words(rest)))
}

/// Whitespace-separated words; `"…"` groups words with spaces; an unquoted `#` starts a comment.
pub(super) fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.peek() {
            None | Some('#') => return out,
            Some('"') => {
                chars.next();
                out.push(chars.by_ref().take_while(|&c| c != '"').collect());
            }
            Some(_) => {
                let mut w = String::new();
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    w.push(c);
                }
                out.push(w);
            }
        }
    }
}
