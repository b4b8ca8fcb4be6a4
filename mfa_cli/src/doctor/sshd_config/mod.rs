//! `/etc/ssh/sshd_config` as sshd reads it: keywords case-insensitive, `Keyword value` or
//! `Keyword=value`, `"quoted"` values, `Include` with globs (relative paths under `/etc/ssh`,
//! sorted, read in place), and for every keyword the first value wins. A `Match` block lasts to
//! the next `Match` or the end of the file it is in; its values win over the global ones for the
//! connections it matches, so each block is checked as "global config overlaid with the block"
//! and only what differs from the global verdict is reported for it.
//!
//! Defaults are sshd's own (sshd_config(5)): `UsePAM no`, `KbdInteractiveAuthentication yes`,
//! `PasswordAuthentication yes`, `PubkeyAuthentication yes`, `HostbasedAuthentication no`,
//! `GSSAPIAuthentication no`, `AuthenticationMethods any`.

use std::fs;
use std::path::{Path, PathBuf};

use super::messages::Msg;
use super::report::{Finding, Level};
use super::under;
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
    fn word(&self) -> String {
        self.args
            .first()
            .map(|a| a.to_ascii_lowercase())
            .unwrap_or_default()
    }

    fn location(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }

    fn is_yes(&self) -> bool {
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
fn split_line(raw: &str) -> Option<(String, Vec<String>)> {
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
fn words(s: &str) -> Vec<String> {
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

/// Expands `*` and `?` in any component of an absolute path, like glob(3): sorted, hidden files
/// only for patterns starting with `.`, only paths that exist.
pub fn glob(pattern: &Path) -> Vec<PathBuf> {
    let mut found = vec![PathBuf::from("/")];
    for part in pattern.components().skip(1) {
        let part = part.as_os_str().to_string_lossy();
        let wild = part.contains(['*', '?']);
        let mut next = Vec::new();
        for dir in &found {
            if !wild {
                next.push(dir.join(part.as_ref()));
                continue;
            }
            let Ok(list) = fs::read_dir(dir) else {
                continue;
            };
            let mut names: Vec<String> = list
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| (!n.starts_with('.') || part.starts_with('.')) && wildcard(&part, n))
                .collect();
            names.sort();
            next.extend(names.iter().map(|n| dir.join(n)));
        }
        found = next;
    }
    found.retain(|p| p.exists());
    found
}

/// Shell-style match of `*` (any run) and `?` (one character).
fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The config as one kind of connection sees it: a Match block's values first, then the
/// global ones.
struct View<'a> {
    global: &'a [Directive],
    block: Option<&'a MatchBlock>,
}

impl<'a> View<'a> {
    fn get(&self, keys: &[&str]) -> Option<&'a Directive> {
        let first = |list: &'a [Directive]| list.iter().find(|d| keys.contains(&d.key.as_str()));
        self.block
            .and_then(|b| first(&b.directives))
            .or_else(|| first(self.global))
    }

    /// A yes/no keyword, with sshd's default when it is not set.
    fn flag(&self, key: &str, default: bool) -> bool {
        self.get(&[key]).map_or(default, Directive::is_yes)
    }
}

/// What the sshd_config check found, and whether sshd always asks for a public key before
/// keyboard-interactive (then the sshd PAM stack may hold pam_mfa alone).
#[derive(Debug, Default)]
pub struct SshdReport {
    pub findings: Vec<Finding>,
    pub key_first: bool,
}

const KBD_KEYS: &[&str] = &[
    "kbdinteractiveauthentication",
    "challengeresponseauthentication",
];
const KBD: &str = "keyboard-interactive";

/// Checks the global settings, then each Match block against them.
pub fn check(config: &SshdConfig, lang: Language) -> SshdReport {
    let mut report = SshdReport::default();
    for e in &config.errors {
        report.findings.push(Finding::fail(
            tr!(lang, Msg::SshdRefuses, error = e.text(lang)),
            Msg::SshdRefusesFix.text(lang),
        ));
    }
    let global = View {
        global: &config.global,
        block: None,
    };
    let (findings, key_first) = check_view(&global, &config.main, true, lang);
    report.key_first = key_first;
    for block in &config.matches {
        let view = View {
            global: &config.global,
            block: Some(block),
        };
        let (extra, block_key_first) = check_view(&view, &config.main, false, lang);
        report.key_first &= block_key_first;
        for f in extra {
            if f.level > Level::Ok && !findings.contains(&f) {
                report.findings.push(Finding {
                    text: tr!(
                        lang,
                        Msg::ForMatch,
                        criteria = block.criteria,
                        location = format!("{}:{}", block.file.display(), block.line),
                        finding = f.text
                    ),
                    ..f
                });
            }
        }
    }
    // Global verdicts first, then the Match blocks' differences.
    let mut all = findings;
    all.append(&mut report.findings);
    report.findings = all;
    report
}

fn check_view(v: &View, main: &Path, global: bool, lang: Language) -> (Vec<Finding>, bool) {
    let mut out = Vec::new();
    let main = main.display();
    let place = |d: Option<&Directive>, setting: &str| match d {
        Some(d) => tr!(
            lang,
            Msg::ChangeLine,
            line = d.line,
            file = d.file.display(),
            setting = setting
        ),
        None => tr!(lang, Msg::AddSetting, setting = setting, file = main),
    };
    let ways = Msg::WaysFix.text(lang);

    // UsePAM may only be set globally.
    if global {
        let d = v.get(&["usepam"]);
        if d.is_some_and(Directive::is_yes) {
            out.push(Finding::ok(Msg::UsePamOk.text(lang)));
        } else {
            let why = match d {
                Some(d) => format!("UsePAM {} ({})", d.word(), d.location()),
                None => Msg::UsePamUnset.text(lang).to_owned(),
            };
            out.push(Finding::fail(
                tr!(lang, Msg::UsePamOff, why = why),
                place(d, "UsePAM yes"),
            ));
        }
    }

    let kbd = v.get(KBD_KEYS);
    let kbd_on = kbd.is_none_or(Directive::is_yes);
    match kbd {
        Some(d) if d.is_yes() => out.push(Finding::ok(tr!(
            lang,
            Msg::KbdOn,
            key = key_name(&d.key),
            location = d.location()
        ))),
        Some(d) => out.push(Finding::fail(
            tr!(
                lang,
                Msg::KbdOff,
                key = key_name(&d.key),
                value = d.word(),
                location = d.location()
            ),
            place(Some(d), "KbdInteractiveAuthentication yes"),
        )),
        None => out.push(Finding::warn(
            Msg::KbdUnset.text(lang),
            place(None, "KbdInteractiveAuthentication yes"),
        )),
    }

    // Which method lists can log in.
    let enabled = |m: &str| match m {
        "publickey" => v.flag("pubkeyauthentication", true),
        "password" => v.flag("passwordauthentication", true),
        KBD => kbd_on,
        "hostbased" => v.flag("hostbasedauthentication", false),
        "gssapi-with-mic" => v.flag("gssapiauthentication", false),
        _ => true,
    };
    let am = v
        .get(&["authenticationmethods"])
        .filter(|d| d.word() != "any" && !d.args.is_empty());
    let lists: Vec<Vec<String>> = match am {
        Some(d) => d
            .args
            .iter()
            .map(|list| {
                list.split(',')
                    .map(|m| m.split(':').next().unwrap_or(m).to_owned())
                    .collect()
            })
            .collect(),
        None => ["publickey", "password", KBD, "hostbased", "gssapi-with-mic"]
            .iter()
            .map(|m| vec![(*m).to_owned()])
            .collect(),
    };
    let usable: Vec<&Vec<String>> = lists
        .iter()
        .filter(|l| l.iter().all(|m| enabled(m)))
        .collect();
    let pw = v.get(&["passwordauthentication"]);
    let pw_text = match pw {
        Some(d) => format!("PasswordAuthentication yes ({})", d.location()),
        None => Msg::PasswordUnset.text(lang).to_owned(),
    };
    let am_text = match am {
        Some(d) => format!(
            "AuthenticationMethods {} ({})",
            d.args.join(" "),
            d.location()
        ),
        None => Msg::NoAuthenticationMethods.text(lang).to_owned(),
    };
    let fix = tr!(
        lang,
        Msg::PasswordFix,
        place = place(pw, "PasswordAuthentication no"),
        ways = ways
    );
    let mut problems = 0;
    if usable.iter().any(|l| l.iter().any(|m| m == "password")) {
        problems += 1;
        let allows = match am {
            Some(_) => tr!(lang, Msg::AmAllowsPassword, am = am_text, pw = pw_text),
            None => tr!(lang, Msg::PasswordCanLogIn, pw = pw_text, am = am_text),
        };
        out.push(Finding::fail(
            tr!(lang, Msg::PasswordMethod, allows = allows),
            fix,
        ));
    }
    let codeless: Vec<String> = usable
        .iter()
        .filter(|l| !l.iter().any(|m| m == KBD || m == "password"))
        .map(|l| l.join(","))
        .collect();
    if !codeless.is_empty() {
        problems += 1;
        let msg = if codeless.len() == 1 {
            Msg::CodelessOne
        } else {
            Msg::CodelessMany
        };
        let or = format!(" {} ", Msg::Or.text(lang));
        out.push(Finding::warn(
            tr!(lang, msg, am = am_text, methods = codeless.join(&or)),
            tr!(lang, Msg::SetWaysIn, ways = ways, file = main),
        ));
    }
    if usable.is_empty() && kbd_on {
        problems += 1;
        out.push(Finding::fail(
            tr!(lang, Msg::NoMethodCanSucceed, am = am_text),
            tr!(lang, Msg::SetWaysIn, ways = ways, file = main),
        ));
    }
    if problems == 0 && kbd_on {
        out.push(Finding::ok(tr!(lang, Msg::EveryWayAsks, am = am_text)));
    }
    let key_first = !usable.is_empty()
        && usable.iter().all(|l| {
            let key = l.iter().position(|m| m == "publickey");
            let code = l.iter().position(|m| m == KBD);
            matches!((key, code), (Some(k), Some(c)) if k < c)
        });
    (out, key_first)
}

/// The keyword as the admin wrote it in the docs' spelling.
fn key_name(key: &str) -> &'static str {
    match key {
        "challengeresponseauthentication" => "ChallengeResponseAuthentication",
        _ => "KbdInteractiveAuthentication",
    }
}

#[cfg(test)]
#[path = "sshd_config_tests.rs"]
mod tests;
