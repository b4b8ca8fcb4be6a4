//! Reading sshd_config like sshd, and the verdicts on it.

use std::fs;
use std::path::PathBuf;

use super::glob::wildcard;
use super::read::split_line;
use super::*;

/// A scratch `/` with `etc/ssh`; removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(tag: &str) -> Tree {
        let dir =
            std::env::temp_dir().join(format!("mfa-doctor-sshd-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("etc/ssh/sshd_config.d")).unwrap();
        Tree(dir)
    }

    fn file(&self, rel: &str, text: &str) -> &Tree {
        fs::write(self.0.join(rel), text).unwrap();
        self
    }

    fn load(&self, main: &str) -> SshdConfig {
        self.file("etc/ssh/sshd_config", main);
        SshdConfig::load(&self.0).unwrap()
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn parse(text: &str) -> SshdConfig {
    SshdConfig::parse(
        Path::new("/nonexistent"),
        Path::new("/etc/ssh/sshd_config"),
        text,
    )
}

fn verdicts(text: &str) -> SshdReport {
    check(&parse(text), Language::En)
}

fn levels(r: &SshdReport) -> Vec<Level> {
    r.findings.iter().map(|f| f.level).collect()
}

fn find<'a>(r: &'a SshdReport, level: Level, needle: &str) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| f.level == level && f.text.contains(needle))
        .unwrap_or_else(|| panic!("no {level:?} with {needle:?} in {:#?}", r.findings))
}

const README_SETUP: &str = "\
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no          # the \"password\" method would send the password to the code prompt
AuthenticationMethods keyboard-interactive
";

#[test]
fn keywords_are_case_insensitive_and_take_spaces_or_an_equals_sign() {
    assert_eq!(
        split_line("  UsePAM yes"),
        Some(("usepam".to_owned(), vec!["yes".to_owned()]))
    );
    assert_eq!(
        split_line("passwordauthentication=no"),
        Some(("passwordauthentication".to_owned(), vec!["no".to_owned()]))
    );
    assert_eq!(
        split_line("Banner = \"/etc/my banner\" # note"),
        Some(("banner".to_owned(), vec!["/etc/my banner".to_owned()]))
    );
    assert_eq!(split_line("   # UsePAM no"), None);
    assert_eq!(split_line(""), None);
}

#[test]
fn the_first_value_wins_even_from_an_include_before_it() {
    let t = Tree::new("first");
    t.file(
        "etc/ssh/sshd_config.d/50-cloud.conf",
        "PasswordAuthentication yes\n",
    )
    .file(
        "etc/ssh/sshd_config.d/60-later.conf",
        "PasswordAuthentication no\n",
    )
    .file("etc/ssh/sshd_config.d/.hidden.conf", "UsePAM no\n")
    .file("etc/ssh/sshd_config.d/notes.txt", "UsePAM no\n");
    let c =
        t.load("Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\nPasswordAuthentication no\n");
    let view = View {
        global: &c.global,
        block: None,
    };
    let pw = view.get(&["passwordauthentication"]).unwrap();
    assert!(pw.is_yes());
    assert!(pw.file.ends_with("50-cloud.conf"), "{pw:?}");
    assert!(view.get(&["usepam"]).unwrap().is_yes());
    let r = check(&c, Language::En);
    find(&r, Level::Fail, "50-cloud.conf:1");
}

#[test]
fn relative_includes_are_under_etc_ssh() {
    let t = Tree::new("relative");
    t.file("etc/ssh/extra.conf", "UsePAM yes\n");
    let c = t.load("Include extra.conf\n");
    assert_eq!(c.global[0].key, "usepam");
    assert!(c.global[0].file.ends_with("etc/ssh/extra.conf"));
}

#[test]
fn a_match_block_lasts_until_the_next_match_or_the_end_of_its_file() {
    let t = Tree::new("match");
    t.file(
        "etc/ssh/sshd_config.d/10-match.conf",
        "Match User backup\nPasswordAuthentication yes\n",
    );
    let c = t.load(
        "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\nMatch Address 10.0.0.0/8\n\
         AuthenticationMethods publickey\nMatch all\nX11Forwarding no\n",
    );
    assert_eq!(c.global.len(), 1, "{:#?}", c.global);
    let criteria: Vec<&str> = c.matches.iter().map(|m| m.criteria.as_str()).collect();
    assert_eq!(criteria, ["User backup", "Address 10.0.0.0/8", "all"]);
    assert_eq!(c.matches[0].directives[0].key, "passwordauthentication");
    assert_eq!(c.matches[1].directives[0].key, "authenticationmethods");
}

#[test]
fn globs_match_like_the_shell() {
    assert!(wildcard("*.conf", "50-cloud.conf"));
    assert!(!wildcard("*.conf", "50-cloud.conf.bak"));
    assert!(wildcard("??-*", "10-x"));
    assert!(!wildcard("??-*", "1-x"));
    assert!(wildcard("*", ""));
}

#[test]
fn the_readme_setup_passes() {
    let r = verdicts(README_SETUP);
    assert_eq!(
        levels(&r),
        [Level::Ok, Level::Ok, Level::Ok],
        "{:#?}",
        r.findings
    );
    assert!(!r.key_first);
}

#[test]
fn public_key_then_code_lets_the_sshd_stack_skip_the_password() {
    let r = verdicts(
        "UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n\
         AuthenticationMethods publickey,keyboard-interactive:pam\n",
    );
    assert!(
        r.findings.iter().all(|f| f.level == Level::Ok),
        "{:#?}",
        r.findings
    );
    assert!(r.key_first);
}

#[test]
fn without_use_pam_sshd_never_asks_pam_mfa() {
    let r = verdicts("KbdInteractiveAuthentication yes\nPasswordAuthentication no\n");
    let f = find(&r, Level::Fail, "UsePAM is not set (sshd's default is no)");
    assert!(f.fix.as_deref().unwrap().starts_with("add `UsePAM yes` to"));
    let r = verdicts("UsePAM no\n");
    let f = find(&r, Level::Fail, "UsePAM no (/etc/ssh/sshd_config:1)");
    assert_eq!(
        f.fix.as_deref(),
        Some("change line 1 of /etc/ssh/sshd_config to `UsePAM yes`")
    );
}

#[test]
fn keyboard_interactive_off_fails_and_unset_warns() {
    let r = verdicts("UsePAM yes\nKbdInteractiveAuthentication no\nPasswordAuthentication no\n");
    find(&r, Level::Fail, "KbdInteractiveAuthentication no");
    let r = verdicts(
        "UsePAM yes\nPasswordAuthentication no\nAuthenticationMethods keyboard-interactive\n",
    );
    let f = find(&r, Level::Warn, "KbdInteractiveAuthentication is not set");
    assert!(
        f.fix
            .as_deref()
            .unwrap()
            .contains("KbdInteractiveAuthentication yes")
    );
}

#[test]
fn the_deprecated_challenge_response_keyword_counts() {
    let r = verdicts(
        "UsePAM yes\nChallengeResponseAuthentication yes\nPasswordAuthentication no\n\
         AuthenticationMethods keyboard-interactive\n",
    );
    find(&r, Level::Ok, "ChallengeResponseAuthentication yes");
    assert!(
        r.findings.iter().all(|f| f.level == Level::Ok),
        "{:#?}",
        r.findings
    );
}

#[test]
fn password_authentication_is_on_by_default_and_fails_without_authentication_methods() {
    let r = verdicts("UsePAM yes\nKbdInteractiveAuthentication yes\n");
    let f = find(
        &r,
        Level::Fail,
        "PasswordAuthentication is not set (sshd's default is yes)",
    );
    assert!(f.text.contains("no AuthenticationMethods"), "{f:?}");
    let fix = f.fix.as_deref().unwrap();
    assert!(fix.contains("PasswordAuthentication no"), "{fix}");
    assert!(
        fix.contains("AuthenticationMethods keyboard-interactive"),
        "{fix}"
    );
}

#[test]
fn authentication_methods_that_allow_password_fail_while_password_is_on() {
    let r = verdicts(
        "UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication yes\n\
         AuthenticationMethods keyboard-interactive password,keyboard-interactive\n",
    );
    find(&r, Level::Fail, "allow").fix.as_deref().unwrap();
    find(
        &r,
        Level::Fail,
        "PasswordAuthentication yes (/etc/ssh/sshd_config:3)",
    );
    // The same methods with the password method off: that list can never succeed, the other
    // asks for the code.
    let r = verdicts(
        "UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n\
         AuthenticationMethods keyboard-interactive password,keyboard-interactive\n",
    );
    assert!(
        r.findings.iter().all(|f| f.level == Level::Ok),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_public_key_alone_without_authentication_methods_is_a_warning() {
    let r = verdicts("UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n");
    let f = find(&r, Level::Warn, "publickey alone");
    assert!(
        f.fix
            .as_deref()
            .unwrap()
            .contains("publickey,keyboard-interactive")
    );
    assert!(!levels(&r).contains(&Level::Fail));
}

#[test]
fn a_match_block_that_turns_passwords_back_on_is_reported_with_its_line() {
    let r = verdicts(&format!(
        "{README_SETUP}Match User legacy\n  PasswordAuthentication yes\n  \
         AuthenticationMethods password\n"
    ));
    let f = find(
        &r,
        Level::Fail,
        "for connections matching `Match User legacy` (/etc/ssh/sshd_config:5)",
    );
    assert!(
        f.text
            .contains("PasswordAuthentication yes (/etc/ssh/sshd_config:6)"),
        "{f:?}"
    );
    // The global verdicts are not repeated for the block.
    assert_eq!(r.findings.len(), 4, "{:#?}", r.findings);
}

#[test]
fn a_match_block_that_changes_nothing_relevant_adds_nothing() {
    let r = verdicts(&format!(
        "{README_SETUP}Match Group sftp\n  ForceCommand internal-sftp\n"
    ));
    assert_eq!(levels(&r), [Level::Ok, Level::Ok, Level::Ok]);
}

#[test]
fn a_match_block_without_the_code_keeps_the_sshd_stack_honest() {
    let r = verdicts(
        "UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n\
         AuthenticationMethods publickey,keyboard-interactive\n\
         Match Address 192.0.2.0/24\n  AuthenticationMethods keyboard-interactive\n",
    );
    assert!(
        !r.key_first,
        "a block that skips the key must not let the stack skip the password"
    );
}

#[test]
fn every_verdict_is_worded_in_dutch_with_the_same_levels() {
    let configs = [
        README_SETUP,
        "",
        "UsePAM no\nKbdInteractiveAuthentication no\n",
        "UsePAM yes\nChallengeResponseAuthentication yes\nPasswordAuthentication yes\n\
         AuthenticationMethods password publickey\n",
        "UsePAM yes\nKbdInteractiveAuthentication yes\nAuthenticationMethods publickey hostbased\n\
         HostbasedAuthentication yes\n",
        "UsePAM yes\nKbdInteractiveAuthentication yes\nPubkeyAuthentication no\n\
         AuthenticationMethods publickey\n",
        "UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n\
         AuthenticationMethods keyboard-interactive\nMatch User backup\n  PasswordAuthentication yes\n\
         AuthenticationMethods publickey\n",
    ];
    for text in configs {
        let en = check(&parse(text), Language::En);
        let nl = check(&parse(text), Language::Nl);
        assert_eq!(levels(&en), levels(&nl), "{text}");
        for (e, n) in en.findings.iter().zip(&nl.findings) {
            assert_ne!(e.text, n.text, "{text}");
            if e.fix.is_some() {
                assert_ne!(e.fix, n.fix, "{text}");
            }
        }
    }
    let nl = check(
        &parse("UsePAM yes\nMatch User x\n  UsePAM no\n"),
        Language::Nl,
    );
    let f = nl
        .findings
        .iter()
        .find(|f| f.level == Level::Warn)
        .expect("KbdInteractiveAuthentication unset");
    assert!(f.text.contains("is niet ingesteld"), "{f:?}");
    assert!(
        f.fix
            .as_deref()
            .unwrap()
            .starts_with("voeg `KbdInteractiveAuthentication yes` toe aan"),
        "{f:?}"
    );
}
