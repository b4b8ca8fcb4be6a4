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

mod glob;
mod read;

use std::path::Path;

pub use read::{Directive, MatchBlock, SshdConfig};

use super::messages::Msg;
use super::report::{Finding, Level};
use crate::i18n::tr;
use mfa_config::Language;

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
mod tests;
