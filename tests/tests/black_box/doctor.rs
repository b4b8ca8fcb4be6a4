//! `mfa doctor` against sample `/etc` trees (`--root`), the real daemon on a private bus, and
//! real enrollments: a broken setup is named problem by problem with its fix, the setup the
//! README prescribes passes.

use std::fs;
use std::path::Path;

use mfa_tests::*;
use tempfile::TempDir;

pub(crate) const SECRET: &str = "JBSWY3DPEHPK3PXP";

/// Debian's stock /etc/pam.d/common-auth (the password module with a jump over pam_deny).
pub(crate) const DEBIAN_COMMON_AUTH: &str = "\
auth\t[success=1 default=ignore]\tpam_unix.so nullok
auth\trequisite\t\t\tpam_deny.so
auth\trequired\t\t\tpam_permit.so
auth\toptional\t\t\tpam_cap.so
";

const PASSWD: &str = "\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
mfad:x:998:998::/var/lib/mfa:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
svc:x:1001:1001::/srv/svc:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
";

/// The sshd_config the README's install section prescribes, with Debian's drop-in directory.
pub(crate) const FIXED_SSHD_CONFIG: &str = "\
Include /etc/ssh/sshd_config.d/*.conf
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication no
AuthenticationMethods keyboard-interactive
X11Forwarding yes
";

/// A sample `/` with the files the doctor reads; `config` is copied to etc/mfa/mfad.toml.
pub(crate) fn sample_tree(config: &Path) -> TempDir {
    let root = tempfile::Builder::new()
        .prefix("mfa-doctor-root-")
        .tempdir()
        .expect("temp root");
    for dir in [
        "etc/pam.d",
        "etc/ssh/sshd_config.d",
        "etc/mfa",
        "usr/lib/x86_64-linux-gnu/security",
    ] {
        fs::create_dir_all(root.path().join(dir)).expect("mkdir");
    }
    write(&root, "usr/lib/x86_64-linux-gnu/security/pam_mfa.so", "");
    write(&root, "etc/pam.d/common-auth", DEBIAN_COMMON_AUTH);
    write(
        &root,
        "etc/pam.d/common-account",
        "account\trequired\tpam_unix.so\n",
    );
    write(&root, "etc/sudoers", "root ALL=(ALL:ALL) ALL\n");
    write(&root, "etc/passwd", PASSWD);
    write(&root, "etc/login.defs", "UID_MIN\t\t\t 1000\n");
    fs::copy(config, root.path().join("etc/mfa/mfad.toml")).expect("copy config");
    root
}

pub(crate) fn write(root: &TempDir, rel: &str, text: &str) {
    fs::write(root.path().join(rel), text).expect("write sample file");
}

pub(crate) fn doctor(bus: &Bus, root: &TempDir, extra: &[&str]) -> (Option<i32>, String) {
    let root = root.path().to_str().expect("utf-8 path");
    let mut args = vec!["doctor", "--root", root];
    args.extend_from_slice(extra);
    let out = mfa(bus, &args);
    let text = output_text(&out);
    (out.status.code(), text)
}

/// The finding line that starts with `tag` and contains `needle`, and its fix.
pub(crate) fn finding<'a>(text: &'a str, tag: &str, needle: &str) -> (&'a str, Option<&'a str>) {
    let lines: Vec<&str> = text.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with(tag) && l.contains(needle))
        .unwrap_or_else(|| panic!("no {tag} line with {needle:?}:\n{text}"));
    let fix = lines
        .get(i + 1)
        .and_then(|l| l.strip_prefix("       fix: "));
    (lines[i], fix)
}

/// The summary line.
fn summary(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("mfa doctor: "))
        .unwrap_or_else(|| panic!("no summary line:\n{text}"))
}

pub(crate) fn fix_of<'a>(text: &'a str, tag: &str, needle: &str) -> &'a str {
    finding(text, tag, needle)
        .1
        .unwrap_or_else(|| panic!("no fix under the {tag} line with {needle:?}:\n{text}"))
}

#[test]
fn a_broken_setup_fails_and_names_each_problem_with_its_fix() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = sample_tree(daemon.config_path());
    write(
        &root,
        "etc/pam.d/sshd",
        "@include common-auth\n@include common-account\n",
    );
    write(
        &root,
        "etc/pam.d/sudo",
        "auth required pam_unix.so\nauth required pam_mfa.so\n@include common-account\n",
    );
    write(
        &root,
        "etc/ssh/sshd_config",
        "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n",
    );
    write(
        &root,
        "etc/ssh/sshd_config.d/50-cloud-init.conf",
        "PasswordAuthentication yes\n",
    );
    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(1), "{text}");

    let fix = fix_of(&text, "[FAIL]", "sshd: pam_mfa.so is not in the auth stack");
    assert!(
        finding(&text, "[FAIL]", "sshd: pam_mfa.so is not in")
            .0
            .contains("not protected"),
        "{text}"
    );
    assert!(
        fix.contains("replace `@include common-auth` with `auth requisite pam_unix.so nullok` and `auth required pam_mfa.so`"),
        "{text}"
    );

    let fix = fix_of(
        &text,
        "[FAIL]",
        "sudo: a wrong password still reaches the code prompt",
    );
    assert!(
        fix.starts_with("make it requisite: `auth requisite pam_unix.so`"),
        "{text}"
    );

    let (line, fix) = finding(&text, "[FAIL]", "sshd_config: PasswordAuthentication yes");
    assert!(line.contains("50-cloud-init.conf:1"), "{text}");
    let fix = fix.expect("fix");
    assert!(fix.contains("`PasswordAuthentication no`"), "{text}");
    assert!(
        fix.contains("`AuthenticationMethods keyboard-interactive`"),
        "{text}"
    );

    let fix = fix_of(&text, "[WARN]", "KbdInteractiveAuthentication is not set");
    assert!(fix.contains("`KbdInteractiveAuthentication yes`"), "{text}");

    let fix = fix_of(
        &text,
        "[WARN]",
        "users: alice (uid 1000) has nothing enrolled",
    );
    assert_eq!(fix, "mfa admin enroll-totp alice", "{text}");
    assert_eq!(
        fix_of(&text, "[WARN]", "users: root (uid 0) has nothing enrolled"),
        "mfa admin enroll-totp root"
    );
    for not_a_login in ["daemon", "mfad", "svc", "nobody"] {
        assert!(
            !text.contains(&format!("users: {not_a_login} ")),
            "{not_a_login} cannot log in:\n{text}"
        );
    }
    finding(&text, "[ OK ]", "daemon: mfad is running");
    assert!(summary(&text).starts_with("mfa doctor: 3 FAIL"), "{text}");
}

pub(crate) fn fixed_tree(bus: &Bus, daemon: &Daemon) -> TempDir {
    let root = sample_tree(daemon.config_path());
    // README, "Installing by hand".
    write(
        &root,
        "etc/pam.d/sshd",
        "auth  requisite  pam_unix.so nullok\nauth  required   pam_mfa.so\n@include common-account\n",
    );
    write(
        &root,
        "etc/pam.d/sudo",
        "@include common-auth\nauth  required  pam_mfa.so\n@include common-account\n",
    );
    write(&root, "etc/ssh/sshd_config", FIXED_SSHD_CONFIG);
    write(
        &root,
        "etc/ssh/sshd_config.d/50-local.conf",
        "ClientAliveInterval 60\n",
    );
    enroll_totp(bus, "alice", SECRET, 6, "SHA1", 30);
    enroll_totp(bus, "root", SECRET, 6, "SHA1", 30);
    root
}

#[test]
fn the_setup_the_readme_prescribes_passes_with_everyone_enrolled() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("[FAIL]"), "{text}");
    assert!(!text.contains("[WARN]"), "{text}");
    finding(&text, "[ OK ]", "sshd: password (pam_unix.so");
    finding(&text, "[ OK ]", "sudo: password (pam_unix.so");
    finding(
        &text,
        "[ OK ]",
        "sshd_config: every way in asks for the code",
    );
    finding(
        &text,
        "[ OK ]",
        "users: all 2 login users can log in: root, alice",
    );
    assert!(!text.contains("clock:"), "--skip-clock: {text}");
    assert!(
        summary(&text).starts_with("mfa doctor: 0 FAIL, 0 WARN"),
        "{text}"
    );
}

#[test]
fn the_clock_check_only_ever_warns() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    let (code, text) = doctor(&bus, &root, &[]);
    assert_eq!(code, Some(0), "{text}");
    let clock = text
        .lines()
        .find(|l| l.contains("clock: "))
        .unwrap_or_else(|| panic!("a clock line:\n{text}"));
    assert!(
        clock.starts_with("[ OK ]") || clock.starts_with("[WARN]"),
        "{text}"
    );
    let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("[WARN]")).collect();
    assert!(
        warnings.iter().all(|l| l.contains("clock: ")),
        "only the clock may warn here:\n{text}"
    );
}

#[test]
fn a_stopped_daemon_fails_with_how_to_start_it_and_skips_the_user_check() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    daemon.stop();
    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(1), "{text}");
    let fix = fix_of(&text, "[FAIL]", "daemon: mfad is not running");
    assert!(fix.contains("start mfad: systemctl start mfad"), "{text}");
    finding(&text, "[SKIP]", "users: not checked: mfad is not running");
}

#[test]
fn config_problems_are_reported_with_key_and_line() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    let bad = root.path().join("bad.toml");
    fs::write(&bad, "[limits]\nmax_failures = 1000\nmax_failure = 3\n").expect("write");
    let (code, text) = doctor(
        &bus,
        &root,
        &["--skip-clock", "--config", bad.to_str().unwrap()],
    );
    assert_eq!(code, Some(1), "{text}");
    let fix = fix_of(&text, "[FAIL]", "line 2: limits.max_failures");
    assert!(fix.contains("mfad --check-config --config"), "{text}");
    finding(&text, "[FAIL]", "line 3: limits.max_failure:");
    finding(
        &text,
        "[SKIP]",
        "users: not checked: the config has problems",
    );
}

#[test]
fn unenrolled_users_are_not_reported_where_the_policy_lets_them_through() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[policy]\nunenrolled = \"allow\"\n");
    let root = sample_tree(daemon.config_path());
    write(
        &root,
        "etc/pam.d/sshd",
        "auth requisite pam_unix.so nullok\nauth required pam_mfa.so\n",
    );
    write(
        &root,
        "etc/pam.d/sudo",
        "@include common-auth\nauth required pam_mfa.so\n",
    );
    write(&root, "etc/ssh/sshd_config", FIXED_SSHD_CONFIG);
    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("has nothing enrolled"), "{text}");
    finding(&text, "[ OK ]", "users: unenrolled users are let through");
}

#[test]
fn services_that_are_not_installed_are_skipped() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = sample_tree(daemon.config_path());
    fs::remove_file(root.path().join("etc/sudoers")).expect("rm sudoers");
    write(
        &root,
        "etc/pam.d/sshd",
        "auth requisite pam_unix.so nullok\nauth required pam_mfa.so\n",
    );
    write(&root, "etc/ssh/sshd_config", FIXED_SSHD_CONFIG);
    let (_, text) = doctor(&bus, &root, &["--skip-clock"]);
    finding(&text, "[SKIP]", "sudo: not installed");
    assert!(!text.contains("[FAIL] sudo"), "{text}");
}

/// Issue 10, point 9: a user whose only method is a phone is not "nothing enrolled", and a
/// pam_mfa line with `failmode=open` (which the module accepts) is not a FAIL.
#[test]
fn a_phone_only_user_and_a_failmode_open_line_pass_without_warnings() {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[sms]\ngateways = [\"tw\"]\n\n{}",
        secrets.gateway("tw", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    let root = fixed_tree(&bus, &daemon);
    let user = "mfa-doc-phone";
    write(
        &root,
        "etc/passwd",
        &format!("root:x:0:0:root:/root:/bin/bash\n{user}:x:1000:1000::/home/p:/bin/bash\n"),
    );
    write(
        &root,
        "etc/pam.d/sshd",
        "auth  requisite  pam_unix.so nullok\nauth  required   pam_mfa.so failmode=open\n\
         @include common-account\n",
    );
    enroll_phone(&bus, &[&stub], user, SECRET, "+31 6 12345678");
    let removed = mfa(&bus, &["admin", "remove", user, "totp"]);
    assert!(removed.status.success(), "{}", output_text(&removed));

    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert!(!text.contains("[FAIL]"), "{text}");
    assert!(!text.contains("[WARN]"), "{text}");
    assert_eq!(code, Some(0), "{text}");
    finding(&text, "[ OK ]", &format!("can log in: root, {user}"));
}

#[test]
fn with_a_shared_store_the_doctor_says_whether_the_database_answers_and_what_to_do_when_not() {
    let server = mfa_tests::postgres::Server::private();
    let db = server.database();
    let fleet = crate::fleet_setup::Fleet::on(&db.url, "");
    let (migrated, out) = fleet.migrate();
    assert!(migrated, "{out}");
    let (bus, daemon, _pam) = fleet.host();
    let root = fixed_tree(&bus, &daemon);

    let (_, text) = doctor(&bus, &root, &["--skip-clock"]);
    finding(
        &text,
        "[ OK ]",
        "store: the database answers and its schema is current",
    );

    server.stop();
    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(1), "{text}");
    let (line, fix) = finding(&text, "[FAIL]", "store: ");
    assert!(line.contains("database"), "{text}");
    let fix = fix.unwrap_or_else(|| panic!("no fix under the store line:\n{text}"));
    assert!(fix.contains("[store] url_file"), "{text}");
    assert!(fix.contains("fails closed"), "{text}");
}
