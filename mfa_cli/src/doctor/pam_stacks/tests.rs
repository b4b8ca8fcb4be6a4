//! Reading pam.d files like libpam, and the verdicts on real-world stacks.

use super::control::{Action, Control};
use super::stack::{logical_lines, tokens};
use super::*;
use crate::doctor::report::Level;
use mfa_config::Language;

/// A scratch `/` with `etc/pam.d` and an installed pam_mfa.so; removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(tag: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("mfa-doctor-pam-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("etc/pam.d")).unwrap();
        let security = dir.join("usr/lib/x86_64-linux-gnu/security");
        fs::create_dir_all(&security).unwrap();
        fs::write(security.join("pam_mfa.so"), b"").unwrap();
        Tree(dir)
    }

    fn pam_dir(&self) -> PathBuf {
        self.0.join("etc/pam.d")
    }

    fn file(&self, name: &str, text: &str) -> &Tree {
        fs::write(self.pam_dir().join(name), text).unwrap();
        self
    }

    fn check(&self, service: &str, text: &str, key_first: bool) -> StackReport {
        self.file(service, text);
        let stack = Stack::load(&self.pam_dir(), &self.0, service).unwrap();
        check(&stack, &self.0, key_first, Language::En)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const DEBIAN_COMMON_AUTH: &str = "\
# here are the per-package modules (the \"Primary\" block)
auth\t[success=1 default=ignore]\tpam_unix.so nullok
# here's the fallback if no module succeeds
auth\trequisite\t\t\tpam_deny.so
auth\trequired\t\t\tpam_permit.so
auth\toptional\t\t\tpam_cap.so
";

fn levels(r: &StackReport) -> Vec<Level> {
    r.findings.iter().map(|f| f.level).collect()
}

fn only(r: &StackReport, level: Level) -> &Finding {
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(r.findings[0].level, level, "{:#?}", r.findings);
    &r.findings[0]
}

#[test]
fn keyword_controls_mean_what_pam_conf_says() {
    let required = Control::parse("required").unwrap();
    assert_eq!(required.action("success"), Action::Ok);
    assert_eq!(required.action("auth_err"), Action::Bad);
    let requisite = Control::parse("Requisite").unwrap();
    assert_eq!(requisite.action("auth_err"), Action::Die);
    let sufficient = Control::parse("sufficient").unwrap();
    assert_eq!(sufficient.action("success"), Action::Done);
    assert_eq!(sufficient.action("auth_err"), Action::Ignore);
    let optional = Control::parse("optional").unwrap();
    assert_eq!(optional.action("auth_err"), Action::Ignore);
}

#[test]
fn bracket_controls_map_values_to_actions_with_a_default() {
    let c = Control::parse("[success=2 new_authtok_reqd=done default=ignore]").unwrap();
    assert_eq!(c.action("success"), Action::Jump(2));
    assert_eq!(c.action("new_authtok_reqd"), Action::Done);
    assert_eq!(c.action("auth_err"), Action::Ignore);
    let no_default = Control::parse("[success=ok]").unwrap();
    assert_eq!(no_default.action("auth_err"), Action::Bad);
}

#[test]
fn unknown_controls_and_actions_are_errors() {
    assert!(Control::parse("mandatory").is_err());
    assert!(Control::parse("[success=maybe]").is_err());
    assert!(Control::parse("[success=0]").is_err());
    assert!(Control::parse("[success]").is_err());
}

#[test]
fn lines_join_on_backslash_and_lose_comments() {
    let lines =
        logical_lines("# top\n\nauth required \\\n  pam_unix.so # trailing\nauth optional x.so\n");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].0, 3);
    assert_eq!(tokens(&lines[0].1), ["auth", "required", "pam_unix.so"]);
    assert_eq!(lines[1].0, 5);
}

#[test]
fn bracketed_words_keep_their_spaces() {
    assert_eq!(
        tokens("auth [success=1 default=ignore] pam_x.so a=1 [b c]"),
        [
            "auth",
            "[success=1 default=ignore]",
            "pam_x.so",
            "a=1",
            "[b c]"
        ]
    );
}

#[test]
fn includes_are_followed_and_other_module_types_ignored() {
    let t = Tree::new("includes");
    t.file("common-auth", DEBIAN_COMMON_AUTH)
        .file("extra", "auth optional pam_env.so\n")
        .file("common-account", "account required pam_unix.so\n");
    t.file(
        "svc",
        "@include common-auth\naccount include common-account\n-auth substack extra\n\
         auth  required  pam_mfa.so nodelay\nsession required pam_limits.so\n",
    );
    let stack = Stack::load(&t.pam_dir(), &t.0, "svc").unwrap();
    let modules: Vec<&str> = stack.entries.iter().map(|e| e.module_name()).collect();
    assert_eq!(
        modules,
        [
            "pam_unix.so",
            "pam_deny.so",
            "pam_permit.so",
            "pam_cap.so",
            "pam_env.so",
            "pam_mfa.so"
        ]
    );
    assert!(stack.errors.is_empty(), "{:?}", stack.errors);
    assert_eq!(stack.entries[0].file, t.pam_dir().join("common-auth"));
    assert_eq!(stack.entries[0].line, 2);
}

#[test]
fn a_missing_or_looping_include_fails_the_stack() {
    let t = Tree::new("loop");
    t.file("a", "@include b\n").file("b", "auth include a\n");
    let r = t.check(
        "svc",
        "@include a\n@include nowhere\nauth required pam_mfa.so\n",
        false,
    );
    let fails: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.level == Level::Fail)
        .map(|f| f.text.as_str())
        .collect();
    assert!(fails.iter().any(|f| f.contains("in a loop")), "{fails:?}");
    assert!(fails.iter().any(|f| f.contains("nowhere")), "{fails:?}");
}

#[test]
fn debian_common_auth_then_pam_mfa_stops_a_wrong_password_before_the_code() {
    let t = Tree::new("debian");
    t.file("common-auth", DEBIAN_COMMON_AUTH);
    let r = t.check(
        "sudo",
        "@include common-auth\nauth required pam_mfa.so\n",
        false,
    );
    let f = only(&r, Level::Ok);
    assert!(f.text.contains("a wrong password stops"), "{f:?}");
    assert!(r.has_mfa);
}

#[test]
fn requisite_pam_unix_then_pam_mfa_is_ok() {
    let t = Tree::new("requisite");
    t.file("common-account", "account required pam_unix.so\n");
    let r = t.check(
        "sshd",
        "auth requisite pam_unix.so nullok\nauth required pam_mfa.so\n@include common-account\n",
        false,
    );
    only(&r, Level::Ok);
}

#[test]
fn sssd_style_common_auth_counts_every_password_module_as_failing() {
    let t = Tree::new("sssd");
    t.file(
        "common-auth",
        "auth [success=2 default=ignore] pam_unix.so nullok\n\
         auth [success=1 default=ignore] pam_sss.so use_first_pass\n\
         auth requisite pam_deny.so\nauth required pam_permit.so\n",
    );
    let r = t.check(
        "sudo",
        "@include common-auth\nauth required pam_mfa.so\n",
        false,
    );
    only(&r, Level::Ok);
}

#[test]
fn required_password_module_lets_a_wrong_password_reach_the_code_prompt() {
    let t = Tree::new("required");
    let r = t.check(
        "sudo",
        "auth required pam_unix.so nullok\nauth required pam_mfa.so\n",
        false,
    );
    let f = only(&r, Level::Fail);
    assert!(
        f.text
            .contains("wrong password still reaches the code prompt"),
        "{f:?}"
    );
    assert!(f.text.contains("text message"), "{f:?}");
    assert_eq!(
        f.fix.as_deref().unwrap().split(" (").next().unwrap(),
        "make it requisite: `auth requisite pam_unix.so nullok`"
    );
}

#[test]
fn a_sufficient_password_module_skips_the_code() {
    let t = Tree::new("sufficient");
    // RHEL's system-auth shape.
    t.file(
        "system-auth",
        "auth required pam_env.so\nauth sufficient pam_unix.so try_first_pass\n\
         auth required pam_deny.so\n",
    );
    let r = t.check(
        "sudo",
        "auth include system-auth\nauth required pam_mfa.so\n",
        false,
    );
    let f = only(&r, Level::Fail);
    assert!(
        f.text
            .contains("right password ends the stack before pam_mfa.so"),
        "{f:?}"
    );
    assert!(f.text.contains("sufficient pam_unix.so"), "{f:?}");
}

#[test]
fn a_stack_without_pam_mfa_is_not_protected_and_the_fix_names_the_file() {
    let t = Tree::new("absent");
    t.file("common-auth", DEBIAN_COMMON_AUTH);
    let r = t.check("sshd", "@include common-auth\n", false);
    let f = only(&r, Level::Fail);
    assert!(f.text.contains("sshd logins are not protected"), "{f:?}");
    let fix = f.fix.as_deref().unwrap();
    assert!(fix.contains("auth requisite pam_unix.so nullok"), "{fix}");
    assert!(
        fix.contains(&t.pam_dir().join("sshd").display().to_string()),
        "{fix}"
    );
    assert!(!r.has_mfa);
}

#[test]
fn pam_mfa_before_the_password_module_fails() {
    let t = Tree::new("order");
    t.file("common-auth", DEBIAN_COMMON_AUTH);
    let r = t.check(
        "sudo",
        "auth required pam_mfa.so\n@include common-auth\n",
        false,
    );
    let f = only(&r, Level::Fail);
    assert!(f.text.contains("comes before the password module"), "{f:?}");
}

#[test]
fn an_optional_or_sufficient_pam_mfa_does_not_stop_a_wrong_code() {
    for control in ["optional", "sufficient", "[success=ok default=ignore]"] {
        let t = Tree::new("optional");
        let r = t.check(
            "sudo",
            &format!("auth requisite pam_unix.so\nauth {control} pam_mfa.so\n"),
            false,
        );
        assert_eq!(levels(&r)[0], Level::Fail, "{control}: {:#?}", r.findings);
        assert!(r.findings[0].text.contains("a wrong code does not stop"));
    }
}

#[test]
fn sshd_with_pam_mfa_alone_is_right_only_when_a_key_comes_first() {
    let t = Tree::new("keyfirst");
    let r = t.check("sshd", "auth required pam_mfa.so\n", true);
    only(&r, Level::Ok);
    let r = t.check("sshd", "auth required pam_mfa.so\n", false);
    let f = only(&r, Level::Warn);
    assert!(f.text.contains("the code alone logs in"), "{f:?}");
    assert!(
        f.fix
            .as_deref()
            .unwrap()
            .contains("publickey,keyboard-interactive")
    );
}

#[test]
fn an_unknown_pam_mfa_argument_locks_everybody_out() {
    let t = Tree::new("args");
    let r = t.check(
        "sudo",
        "auth requisite pam_unix.so\nauth required pam_mfa.so timeout=5 nodelay retries=3\n",
        false,
    );
    assert_eq!(levels(&r), [Level::Fail, Level::Ok], "{:#?}", r.findings);
    assert!(r.findings[0].text.contains("\"retries=3\""));
}

#[test]
fn every_argument_the_module_accepts_passes_including_failmode_open() {
    let t = Tree::new("valid-args");
    let r = t.check(
        "sshd",
        "auth requisite pam_unix.so\nauth required pam_mfa.so failmode=open timeout=20 \
         bus=unix:path=/run/dbus/system_bus_socket nodelay debug\n",
        false,
    );
    only(&r, Level::Ok);
}

#[test]
fn a_value_the_module_refuses_is_reported_with_its_reason() {
    let t = Tree::new("bad-values");
    let r = t.check(
        "sudo",
        "auth requisite pam_unix.so\nauth required pam_mfa.so failmode=maybe timeout=999\n",
        false,
    );
    assert_eq!(
        levels(&r),
        [Level::Fail, Level::Fail, Level::Ok],
        "{:#?}",
        r.findings
    );
    assert!(
        r.findings[0].text.contains("must be open or closed"),
        "{:#?}",
        r.findings
    );
    assert!(r.findings[1].text.contains("1..=300"), "{:#?}", r.findings);
}

#[test]
fn daemon_uid_is_reported_for_the_owner_check() {
    let t = Tree::new("uid");
    let r = t.check(
        "sudo",
        "auth requisite pam_unix.so\nauth required pam_mfa.so daemon_uid=123\n",
        false,
    );
    assert_eq!(r.daemon_uid, Some(123));
    only(&r, Level::Ok);
}

#[test]
fn a_missing_module_file_fails_every_login_or_silently_skips_the_code() {
    let t = Tree::new("nofile");
    fs::remove_file(t.0.join("usr/lib/x86_64-linux-gnu/security/pam_mfa.so")).unwrap();
    let r = t.check(
        "sudo",
        "auth requisite pam_unix.so\nauth required pam_mfa.so\n",
        false,
    );
    assert!(
        r.findings[0]
            .text
            .contains("every login through this stack fails")
    );
    let r = t.check(
        "sudo",
        "auth requisite pam_unix.so\n-auth required pam_mfa.so\n",
        false,
    );
    assert!(
        r.findings[0].text.contains("not protected"),
        "{:#?}",
        r.findings
    );
    assert!(!module_file_exists(&t.0, "pam_unix.so"));
}

#[test]
fn an_absolute_module_path_is_looked_up_under_the_root() {
    let t = Tree::new("abspath");
    assert!(module_file_exists(
        &t.0,
        "/usr/lib/x86_64-linux-gnu/security/pam_mfa.so"
    ));
    assert!(!module_file_exists(&t.0, "/lib/security/pam_mfa.so"));
}

#[test]
fn every_verdict_is_worded_in_dutch_with_the_same_levels() {
    let t = Tree::new("dutch");
    t.file("common-auth", DEBIAN_COMMON_AUTH)
        .file("a", "@include b\n")
        .file("b", "auth include a\n")
        .file(
            "system-auth",
            "auth sufficient pam_unix.so\nauth required pam_deny.so\n",
        );
    let stacks: &[(&str, &str, bool)] = &[
        (
            "sudo",
            "@include common-auth\nauth required pam_mfa.so\n",
            false,
        ),
        (
            "sudo",
            "auth required pam_unix.so\nauth required pam_mfa.so\n",
            false,
        ),
        (
            "sudo",
            "auth include system-auth\nauth required pam_mfa.so\n",
            false,
        ),
        ("sshd", "@include common-auth\n", false),
        ("sudo", "@include common-auth\n", false),
        ("other", "@include common-auth\n", false),
        (
            "sudo",
            "auth required pam_mfa.so\n@include common-auth\n",
            false,
        ),
        ("sshd", "auth required pam_mfa.so\n", true),
        ("sshd", "auth required pam_mfa.so\n", false),
        ("sudo", "auth required pam_mfa.so\n", false),
        (
            "sudo",
            "auth requisite pam_unix.so\nauth optional pam_mfa.so\n",
            false,
        ),
        (
            "sudo",
            "auth requisite pam_unix.so\nauth [success=ok auth_err=1 default=bad] pam_mfa.so\n",
            false,
        ),
        (
            "sudo",
            "auth requisite pam_unix.so\nauth required pam_mfa.so retries=3 daemon_uid=x\n",
            false,
        ),
        (
            "sudo",
            "@include a\n@include nowhere\n@include\nauth required\nauth mandatory pam_x.so\n\
             auth [success] pam_y.so\nauth [success=maybe] pam_z.so\nauth required pam_mfa.so\n",
            false,
        ),
        (
            "sudo",
            "auth requisite pam_unix.so\n-auth required /lib/security/none.so\nauth required pam_nomfa.so\n",
            false,
        ),
        (
            "sudo",
            "auth requisite pam_unix.so\n-auth required /nowhere/pam_mfa.so\n",
            false,
        ),
    ];
    let pam_dir = t.pam_dir();
    for &(service, text, key_first) in stacks {
        t.file(service, text);
        let stack = Stack::load(&pam_dir, &t.0, service).unwrap();
        let en = check(&stack, &t.0, key_first, Language::En);
        let nl = check(&stack, &t.0, key_first, Language::Nl);
        assert_eq!(levels(&en), levels(&nl), "{text}");
        for (e, n) in en.findings.iter().zip(&nl.findings) {
            assert_ne!(e.text, n.text, "{text}");
            if e.fix.is_some() {
                assert_ne!(e.fix, n.fix, "{text}");
            }
        }
    }
    t.file(
        "sudo",
        "auth required pam_unix.so\nauth required pam_mfa.so\n",
    );
    let stack = Stack::load(&pam_dir, &t.0, "sudo").unwrap();
    let f = only(&check(&stack, &t.0, false, Language::Nl), Level::Fail).clone();
    assert!(
        f.text
            .contains("een fout wachtwoord komt toch bij de vraag om de code"),
        "{f:?}"
    );
    assert!(
        f.fix
            .unwrap()
            .starts_with("maak deze requisite: `auth requisite pam_unix.so`"),
    );
}
