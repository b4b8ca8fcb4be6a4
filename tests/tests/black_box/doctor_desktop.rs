//! Issue 14, points 2 and 6, against the real daemon on a private bus and sample `/etc` trees:
//! `mfa doctor` prints who would be locked out first and apart, and warns about lock screens
//! whose pam_mfa.so line lacks what they need; `mfa admin enable-pam` names the same risks and
//! runs `pam-auth-update --enable mfa` only when there are none or `--force` is given. The
//! pam-auth-update it runs is a stand-in found first on PATH that records its arguments: the
//! real one would change this machine's /etc/pam.d and debconf.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::doctor::{SECRET, doctor, finding, fix_of, fixed_tree, write};
use mfa_tests::*;
use tempfile::TempDir;

/// The sample tree's users plus bob, a login user with nothing enrolled.
const PASSWD_WITH_BOB: &str = "\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001:Bob,,,:/home/bob:/bin/bash
svc:x:1002:1002::/srv/svc:/usr/sbin/nologin
";

/// Debian's common-auth after `pam-auth-update --enable mfa`.
const ENABLED_COMMON_AUTH: &str = "\
auth\t[success=1 default=ignore]\tpam_unix.so nullok
auth\trequisite\t\t\tpam_deny.so
auth\trequired\t\t\tpam_permit.so
auth\trequired\t\t\tpam_mfa.so
auth\toptional\t\t\tpam_cap.so
";

/// Debian's /etc/pam.d/i3lock and the relevant part of /etc/pam.d/login.
const DEBIAN_I3LOCK: &str = "auth include login\n";
const DEBIAN_LOGIN: &str = "auth optional pam_faildelay.so delay=3000000\n@include common-auth\n";

/// The "Would lock out:" block: the lines from its heading to the first empty line. `text` is
/// [`output_text`]: the block must be the first thing on stdout.
fn lockout_block(text: &str) -> Vec<&str> {
    let mut lines = text.lines().skip_while(|l| *l != "--- stdout ---").skip(1);
    assert_eq!(
        lines.next(),
        Some("Would lock out:"),
        "the block comes first:\n{text}"
    );
    lines.take_while(|l| !l.is_empty()).collect()
}

#[test]
fn doctor_lists_an_unenrolled_login_user_first_under_would_lock_out_and_not_an_enrolled_one() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    write(&root, "etc/passwd", PASSWD_WITH_BOB);
    let (_, text) = doctor(&bus, &root, &["--skip-clock"]);
    let block = lockout_block(&text);
    assert_eq!(block.len(), 2, "bob and his fix only:\n{text}");
    assert!(
        block[0].starts_with("[WARN] users: bob (uid 1001) has nothing enrolled"),
        "{text}"
    );
    assert!(block[0].contains("for login, sshd, su and sudo"), "{text}");
    assert_eq!(block[1], "       fix: mfa admin enroll-totp bob", "{text}");
    assert!(!text.contains("users: alice"), "alice is enrolled:\n{text}");
    assert!(!text.contains("users: svc"), "svc has no shell:\n{text}");
}

#[test]
fn doctor_says_root_without_a_factor_is_locked_out_even_at_the_console() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    let reset = mfa(&bus, &["admin", "reset", "--yes", "root"]);
    assert!(reset.status.success(), "{}", output_text(&reset));
    let (_, text) = doctor(&bus, &root, &["--skip-clock"]);
    let block = lockout_block(&text);
    assert!(
        block[0].starts_with("[WARN] users: root (uid 0) has nothing enrolled"),
        "{text}"
    );
    assert!(block[0].contains("not even at the console"), "{text}");
}

#[test]
fn doctor_without_lockout_risks_has_no_lockout_block() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    let (code, text) = doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("Would lock out"), "{text}");
}

#[test]
fn doctor_warns_when_i3lock_reaches_pam_mfa_without_single_buffer_and_gives_the_lines() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    write(&root, "etc/pam.d/common-auth", ENABLED_COMMON_AUTH);
    write(&root, "etc/pam.d/login", DEBIAN_LOGIN);
    write(&root, "etc/pam.d/i3lock", DEBIAN_I3LOCK);
    write(&root, "etc/pam.d/kde", "@include common-auth\n");
    write(&root, "etc/pam.d/xscreensaver", "@include common-auth\n");
    let (_, text) = doctor(&bus, &root, &["--skip-clock"]);

    let (line, fix) = finding(&text, "[WARN]", "i3lock: ");
    assert!(
        line.contains("etc/pam.d/i3lock reaches pam_mfa.so"),
        "{text}"
    );
    assert!(line.contains("without single_buffer="), "{text}");
    assert!(
        fix.expect("fix").contains(
            "`auth required pam_mfa.so single_buffer=+` then `auth required pam_unix.so use_first_pass`"
        ),
        "{text}"
    );
    assert!(
        fix_of(&text, "[WARN]", "kscreenlocker: ").contains("`min_time=100 unavail=auth_err`"),
        "{text}"
    );
    // xscreensaver's service gets one-line prompts by its name: nothing to add.
    finding(&text, "[ OK ]", "xscreensaver: ");

    // The lines docs/desktop.md gives for i3lock and kscreenlocker pass.
    write(
        &root,
        "etc/pam.d/i3lock",
        "auth required pam_mfa.so single_buffer=+\nauth required pam_unix.so use_first_pass\n",
    );
    write(
        &root,
        "etc/pam.d/kde",
        "auth requisite pam_unix.so\nauth required pam_mfa.so min_time=100 unavail=auth_err\n",
    );
    let (_, text) = doctor(&bus, &root, &["--skip-clock"]);
    finding(&text, "[ OK ]", "i3lock: ");
    finding(&text, "[ OK ]", "kscreenlocker: ");
    assert!(!text.contains("[WARN] i3lock"), "{text}");
}

/// A directory with a `pam-auth-update` that writes its arguments to `args` beside it.
struct FakePamAuthUpdate(TempDir);

impl FakePamAuthUpdate {
    fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("mfa-fake-pam-auth-update-")
            .tempdir()
            .expect("temp dir");
        let script = dir.path().join("pam-auth-update");
        fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$@\" > '{}'\n",
                dir.path().join("args").display()
            ),
        )
        .expect("write fake");
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
        FakePamAuthUpdate(dir)
    }

    /// Its arguments, if it ran.
    fn ran_with(&self) -> Option<String> {
        fs::read_to_string(self.0.path().join("args"))
            .ok()
            .map(|s| s.trim().to_owned())
    }

    /// PATH with this directory first.
    fn path(&self) -> String {
        let rest = std::env::var("PATH").unwrap_or_default();
        format!("{}:{rest}", self.0.path().display())
    }
}

/// `mfa admin enable-pam --root ROOT EXTRA…` with the fake first on PATH.
fn enable_pam(
    bus: &Bus,
    fake: &FakePamAuthUpdate,
    root: &Path,
    extra: &[&str],
) -> (Option<i32>, String) {
    let out = mfa_command()
        .args(["admin", "enable-pam", "--root"])
        .arg(root)
        .args(extra)
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .env("PATH", fake.path())
        .stdin(Stdio::null())
        .output()
        .expect("run mfa");
    (out.status.code(), output_text(&out))
}

fn root_path(root: &TempDir) -> PathBuf {
    root.path().to_path_buf()
}

#[test]
fn enable_pam_refuses_while_a_login_user_has_nothing_enrolled_and_names_them() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    write(&root, "etc/passwd", PASSWD_WITH_BOB);
    let fake = FakePamAuthUpdate::new();
    let (code, text) = enable_pam(&bus, &fake, &root_path(&root), &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("Would lock out:"), "{text}");
    assert!(
        text.contains("[WARN] users: bob (uid 1001) has nothing enrolled"),
        "{text}"
    );
    assert!(text.contains("fix: mfa admin enroll-totp bob"), "{text}");
    assert!(!text.contains("users: alice"), "{text}");
    assert!(text.contains("not enabling the mfa profile"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert_eq!(fake.ran_with(), None, "pam-auth-update must not run");
}

#[test]
fn enable_pam_with_force_runs_pam_auth_update_despite_the_risks() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    write(&root, "etc/passwd", PASSWD_WITH_BOB);
    let fake = FakePamAuthUpdate::new();
    let (code, text) = enable_pam(&bus, &fake, &root_path(&root), &["--force"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("users: bob (uid 1001)"),
        "still named:\n{text}"
    );
    assert_eq!(
        fake.ran_with().as_deref(),
        Some(format!("--root {} --enable mfa", root.path().display()).as_str()),
        "{text}"
    );
    assert!(
        text.contains("pam-auth-update --disable mfa"),
        "how to undo:\n{text}"
    );
}

#[test]
fn enable_pam_runs_pam_auth_update_when_nobody_would_be_locked_out() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    write(&root, "etc/passwd", PASSWD_WITH_BOB);
    enroll_totp(&bus, "bob", SECRET, 6, "SHA1", 30);
    let fake = FakePamAuthUpdate::new();
    let (code, text) = enable_pam(&bus, &fake, &root_path(&root), &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Nobody would be locked out"), "{text}");
    assert!(!text.contains("Would lock out"), "{text}");
    assert_eq!(
        fake.ran_with().as_deref(),
        Some(format!("--root {} --enable mfa", root.path().display()).as_str()),
        "{text}"
    );
}

#[test]
fn enable_pam_refuses_while_i3lock_would_get_pam_mfa_from_common_auth() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    write(&root, "etc/pam.d/login", DEBIAN_LOGIN);
    write(&root, "etc/pam.d/i3lock", DEBIAN_I3LOCK);
    let fake = FakePamAuthUpdate::new();
    let (code, text) = enable_pam(&bus, &fake, &root_path(&root), &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("[WARN] i3lock: "), "{text}");
    assert!(text.contains("includes common-auth"), "{text}");
    assert!(
        text.contains("`auth required pam_mfa.so single_buffer=+`"),
        "{text}"
    );
    assert_eq!(fake.ran_with(), None);

    // With its own lines (docs/desktop.md), i3lock is no longer a risk.
    write(
        &root,
        "etc/pam.d/i3lock",
        "auth required pam_mfa.so single_buffer=+\nauth required pam_unix.so use_first_pass\n",
    );
    let (code, text) = enable_pam(&bus, &fake, &root_path(&root), &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(fake.ran_with().is_some(), "{text}");
}

#[test]
fn enable_pam_refuses_when_it_cannot_ask_the_daemon_who_is_enrolled() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "");
    let root = fixed_tree(&bus, &daemon);
    daemon.stop();
    let fake = FakePamAuthUpdate::new();
    let (code, text) = enable_pam(&bus, &fake, &root_path(&root), &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("cannot tell who would be locked out"),
        "{text}"
    );
    assert!(text.contains("mfad is not running"), "{text}");
    assert!(text.contains("not enabling the mfa profile"), "{text}");
    assert_eq!(fake.ran_with(), None);
}
