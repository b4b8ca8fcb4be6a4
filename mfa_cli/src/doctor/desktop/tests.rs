//! The desktop rules on the stacks Debian ships and on the lines docs/desktop.md prescribes.

use std::fs;
use std::path::PathBuf;

use super::*;
use crate::doctor::report::Level;

/// A scratch `/` with `etc/pam.d` holding Debian's common-auth and login; removed on drop.
struct Tree(PathBuf);

const DEBIAN_COMMON_AUTH: &str = "\
auth\t[success=1 default=ignore]\tpam_unix.so nullok
auth\trequisite\t\t\tpam_deny.so
auth\trequired\t\t\tpam_permit.so
auth\toptional\t\t\tpam_cap.so
";

/// common-auth after `pam-auth-update --enable mfa` (the profile's Additional block).
const ENABLED_COMMON_AUTH: &str = "\
auth\t[success=1 default=ignore]\tpam_unix.so nullok
auth\trequisite\t\t\tpam_deny.so
auth\trequired\t\t\tpam_permit.so
auth\trequired\t\t\tpam_mfa.so
auth\toptional\t\t\tpam_cap.so
";

/// Debian's /etc/pam.d/i3lock (i3lock 2.14.1): everything comes from login.
const DEBIAN_I3LOCK: &str = "auth include login\n";
const DEBIAN_LOGIN: &str = "\
auth       optional   pam_faildelay.so  delay=3000000
auth       requisite  pam_nologin.so
@include common-auth
auth       optional   pam_group.so
";

impl Tree {
    fn new(tag: &str, common_auth: &str) -> Tree {
        let dir =
            std::env::temp_dir().join(format!("mfa-doctor-desktop-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("etc/pam.d")).unwrap();
        let t = Tree(dir);
        t.file("common-auth", common_auth)
            .file("login", DEBIAN_LOGIN);
        t
    }

    fn file(&self, name: &str, text: &str) -> &Tree {
        fs::write(self.0.join("etc/pam.d").join(name), text).unwrap();
        self
    }

    fn check(&self) -> DesktopReport {
        check(&self.0, Language::En)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn only(findings: &[Finding], level: Level) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].level, level, "{findings:#?}");
    &findings[0]
}

#[test]
fn i3lock_reaching_pam_mfa_through_common_auth_is_a_warning_with_the_single_buffer_lines() {
    let t = Tree::new("i3lock-enabled", ENABLED_COMMON_AUTH);
    t.file("i3lock", DEBIAN_I3LOCK);
    let r = t.check();
    let f = only(&r.findings, Level::Warn);
    assert!(f.text.starts_with("i3lock: "), "{f:#?}");
    assert!(
        f.text.contains("etc/pam.d/i3lock reaches pam_mfa.so"),
        "{f:#?}"
    );
    assert!(f.text.contains("common-auth:4"), "{f:#?}");
    assert!(f.text.contains("without single_buffer="), "{f:#?}");
    let fix = f.fix.as_deref().unwrap();
    assert!(
        fix.contains(
            "`auth required pam_mfa.so single_buffer=+` then `auth required pam_unix.so use_first_pass`"
        ),
        "{fix}"
    );
    assert!(r.before_enable.is_empty(), "{r:#?}");
}

#[test]
fn i3lock_with_the_documented_lines_is_fine() {
    let t = Tree::new("i3lock-fixed", ENABLED_COMMON_AUTH);
    t.file(
        "i3lock",
        "auth required pam_mfa.so single_buffer=+\nauth required pam_unix.so use_first_pass\n",
    );
    let r = t.check();
    let f = only(&r.findings, Level::Ok);
    assert!(f.text.contains("with single_buffer=+"), "{f:#?}");
}

#[test]
fn single_buffer_with_the_password_module_first_or_asking_again_is_a_warning() {
    let t = Tree::new("i3lock-order", DEBIAN_COMMON_AUTH);
    t.file(
        "i3lock",
        "auth requisite pam_unix.so\nauth required pam_mfa.so single_buffer=+\n",
    );
    let f = only(&t.check().findings, Level::Warn).clone();
    assert!(
        f.text.contains("pam_unix.so") && f.text.contains("gets password+code as the password"),
        "{f:#?}"
    );
    t.file(
        "i3lock",
        "auth required pam_mfa.so single_buffer=+\nauth required pam_unix.so\n",
    );
    let f = only(&t.check().findings, Level::Warn).clone();
    assert!(f.text.contains("no use_first_pass"), "{f:#?}");
}

#[test]
fn before_enabling_the_profile_a_locker_that_includes_common_auth_is_named() {
    let t = Tree::new("i3lock-before", DEBIAN_COMMON_AUTH);
    t.file("i3lock", DEBIAN_I3LOCK)
        .file("sddm", "@include common-auth\n")
        .file("xscreensaver", "@include common-auth\n");
    let r = t.check();
    assert!(r.findings.is_empty(), "{r:#?}");
    let programs: Vec<&str> = r
        .before_enable
        .iter()
        .map(|f| f.text.split(':').next().unwrap())
        .collect();
    // xscreensaver handles a second prompt: it is not a lockout.
    assert_eq!(programs, ["i3lock", "SDDM"], "{r:#?}");
    assert!(r.before_enable.iter().all(|f| f.level == Level::Warn));
    assert!(
        r.before_enable[0]
            .text
            .contains("once `pam-auth-update --enable mfa` adds pam_mfa.so there"),
        "{r:#?}"
    );
}

#[test]
fn sddm_reaching_pam_mfa_warns_and_points_at_the_desktop_doc() {
    let t = Tree::new("sddm", ENABLED_COMMON_AUTH);
    t.file("sddm", "@include common-auth\n");
    let f = only(&t.check().findings, Level::Warn).clone();
    assert!(f.text.starts_with("SDDM: "), "{f:#?}");
    assert!(f.text.contains("without single_buffer="), "{f:#?}");
    assert!(f.fix.unwrap().contains("docs/desktop.md (SDDM)"));
    t.file(
        "sddm",
        "auth required pam_mfa.so single_buffer=+\nauth required pam_unix.so use_first_pass\n",
    );
    only(&t.check().findings, Level::Ok);
}

#[test]
fn kscreenlocker_needs_a_minimum_time_and_auth_err_for_an_unavailable_daemon() {
    let t = Tree::new("kde", DEBIAN_COMMON_AUTH);
    t.file(
        "kde",
        "@include common-auth\nauth required pam_mfa.so min_time=100\n",
    );
    let f = only(&t.check().findings, Level::Warn).clone();
    assert!(f.text.contains("without unavail=auth_err"), "{f:#?}");
    assert!(!f.text.contains("min_time= (over"), "{f:#?}");
    assert!(f.fix.unwrap().contains("`min_time=100 unavail=auth_err`"));
    t.file(
        "kde",
        "@include common-auth\nauth required pam_mfa.so min_time=50\n",
    );
    let f = only(&t.check().findings, Level::Warn).clone();
    assert!(
        f.text
            .contains("without min_time= (over 50 ms), unavail=auth_err"),
        "{f:#?}"
    );
    t.file(
        "kde",
        "@include common-auth\nauth required pam_mfa.so min_time=100 unavail=auth_err\n",
    );
    let f = only(&t.check().findings, Level::Ok).clone();
    assert!(f.text.contains("min_time=100 unavail=auth_err"), "{f:#?}");
}

#[test]
fn one_line_programs_get_one_line_by_their_service_name_and_a_hint_only_when_forced_to_lines() {
    let t = Tree::new("oneline", ENABLED_COMMON_AUTH);
    t.file("xscreensaver", "@include common-auth\n")
        .file("gdm-password", "@include common-auth\n")
        .file(
            "xsecurelock",
            "@include common-auth\nauth required pam_mfa.so render=lines\n",
        );
    let r = t.check();
    let levels: Vec<(Level, &str)> = r
        .findings
        .iter()
        .map(|f| (f.level, f.text.split(':').next().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            (Level::Ok, "GDM"),
            // common-auth's own pam_mfa.so comes first: by its service name, one line.
            (Level::Ok, "xsecurelock"),
            (Level::Ok, "xscreensaver"),
        ],
        "{r:#?}"
    );
    let forced = Tree::new("forced-lines", ENABLED_COMMON_AUTH);
    forced.file("xscreensaver", "auth required pam_mfa.so render=lines\n");
    let f = only(&forced.check().findings, Level::Info).clone();
    assert!(
        f.fix.as_deref().unwrap().contains("`render=oneline`"),
        "{f:#?}"
    );
}

#[test]
fn xsecurelocks_default_service_is_checked_only_where_xsecurelock_is_installed() {
    let t = Tree::new("xsl-default", ENABLED_COMMON_AUTH);
    assert!(t.check().findings.is_empty());
    let helper = t.0.join("usr/libexec/xsecurelock");
    fs::create_dir_all(&helper).unwrap();
    fs::write(helper.join("authproto_pam"), b"").unwrap();
    let f = only(&t.check().findings, Level::Info).clone();
    assert!(f.text.contains("etc/pam.d/common-auth"), "{f:#?}");
    assert!(
        f.fix
            .unwrap()
            .contains("XSECURELOCK_PAM_SERVICE=xsecurelock")
    );
}

#[test]
fn an_argument_pam_mfa_refuses_fails_the_program() {
    let t = Tree::new("badarg", DEBIAN_COMMON_AUTH);
    t.file("swaylock", "auth required pam_mfa.so single_buffer=\n");
    let f = only(&t.check().findings, Level::Fail).clone();
    assert!(f.text.starts_with("swaylock: "), "{f:#?}");
    assert!(f.text.contains("every attempt through"), "{f:#?}");
}

#[test]
fn the_findings_speak_dutch() {
    let t = Tree::new("nl", ENABLED_COMMON_AUTH);
    t.file("i3lock", DEBIAN_I3LOCK);
    let r = check(&t.0, Language::Nl);
    let f = only(&r.findings, Level::Warn);
    assert!(f.text.contains("komt bij pam_mfa.so"), "{f:#?}");
    assert!(f.fix.as_deref().unwrap().starts_with("geef "), "{f:#?}");
}
