//! Errors a person can act on: when mfad is not there, when the bus is not there, or when a
//! non-root user calls an admin command, `mfa` says what is wrong and what to do, and never
//! shows the bus's internals (`org.freedesktop.DBus.Error.*`, the policy rule it matched).

use mfa_tests::*;
use std::process::{Output, Stdio};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn mfa_status_without_a_daemon_says_mfad_is_not_running_and_how_to_start_it() {
    let bus = Bus::start();
    let out = mfa(&bus, &["status"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        err.contains("mfad is not running: start it with `systemctl start mfad`")
            && err.contains("service mfad start"),
        "{}",
        output_text(&out)
    );
    assert!(!err.contains("org.freedesktop"), "{}", output_text(&out));
}

#[test]
fn admin_commands_without_a_daemon_say_mfad_is_not_running() {
    let bus = Bus::start();
    let out = mfa(&bus, &["admin", "list"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(err.contains("mfad is not running"), "{}", output_text(&out));
    assert!(!err.contains("org.freedesktop"), "{}", output_text(&out));
}

#[test]
fn a_non_root_admin_call_says_only_root_may_and_not_the_policy_rule() {
    assert!(
        unsafe { libc::geteuid() } == 0,
        "this test acts as another uid and must run as root"
    );
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    for args in [&["admin", "list"][..], &["admin", "unlock", "alice"]] {
        let out = mfa_as_nobody(&bus, args);
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}: {}", output_text(&out));
        assert_eq!(
            err.trim(),
            "mfa: only root may do this: run it with sudo",
            "{args:?}: {}",
            output_text(&out)
        );
    }
}

#[test]
fn no_system_bus_at_all_says_to_start_dbus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = mfa_command()
        .arg("status")
        .env(
            "DBUS_SYSTEM_BUS_ADDRESS",
            format!("unix:path={}", dir.path().join("no_socket").display()),
        )
        .stdin(Stdio::null())
        .output()
        .expect("mfa");
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        err.contains("cannot reach the system bus") && err.contains("start dbus"),
        "{}",
        output_text(&out)
    );
    assert!(!err.contains("org.freedesktop"), "{}", output_text(&out));
}

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn the_same_right_code_twice_says_it_was_already_used_and_counts_as_a_failure() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = PamStack::new(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, first) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{first}\n{}", daemon.log());
    let (rc, again) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{again}");
    assert!(
        again.contains("This code was already used: wait for the next code."),
        "{again}"
    );
    assert!(!again.contains("Wrong verification code."), "{again}");
    assert!(daemon.log().contains("outcome=denied-replayed"));
    let status = mfa(&bus, &["admin", "status", "alice"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("failures: 1"),
        "{}",
        output_text(&status)
    );
}

#[test]
fn a_wrong_code_still_says_wrong_not_already_used() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = PamStack::new(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let (rc, t) = pam.login("alice", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}");
    assert!(t.contains("Wrong verification code."), "{t}");
    assert!(!t.contains("already used"), "{t}");
}

/// The sample tree's copy of the daemon's state directory (the doctor reads it under --root).
fn state_copy(root: &tempfile::TempDir, daemon: &Daemon) -> std::path::PathBuf {
    let state = daemon.state_dir();
    let copy = root.path().join(state.strip_prefix("/").expect("absolute"));
    std::fs::create_dir_all(copy.join("users")).expect("mkdir state copy");
    copy
}

fn chown(path: &std::path::Path, uid: u32, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).expect("chown");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn doctor_fails_on_state_files_the_daemon_user_cannot_read_and_names_the_chown() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let root = crate::doctor::fixed_tree(&bus, &daemon);
    let state = state_copy(&root, &daemon);
    // The sample passwd's mfad is uid/gid 998; alice's record was written by root.
    for dir in [&state, &state.join("users")] {
        chown(dir, 998, 0o700);
    }
    let bob = state.join("users/bob.json");
    std::fs::write(&bob, "{}").expect("write");
    chown(&bob, 998, 0o600);
    let alice = state.join("users/alice.json");
    std::fs::write(&alice, "{}").expect("write");
    chown(&alice, 0, 0o600);
    let (code, text) = crate::doctor::doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(1), "{text}");
    let dir = daemon.state_dir().display().to_string();
    let (line, fix) = crate::doctor::finding(&text, "[FAIL]", "cannot read 1 path(s)");
    assert!(line.contains(&format!("{dir}/users/alice.json")), "{text}");
    assert!(!line.contains("bob.json"), "{text}");
    let fix = fix.expect("a fix");
    assert_eq!(
        fix,
        format!("give them to the daemon: chown -R mfad:mfad {dir}")
    );
    let summary = text
        .lines()
        .find(|l| l.starts_with("mfa doctor: "))
        .expect("summary");
    assert!(
        summary.starts_with("mfa doctor: 1 FAIL, ")
            && summary.ends_with(&format!("; do this first: {fix}")),
        "{text}"
    );

    chown(&alice, 998, 0o600);
    let (code, text) = crate::doctor::doctor(&bus, &root, &["--skip-clock"]);
    assert_eq!(code, Some(0), "{text}");
    crate::doctor::finding(&text, "[ OK ]", "state: mfad can read everything in");
}

const PACKAGED_ACTIVATION: &str = "[D-BUS Service]\nName=org.mfa.Mfad1\nExec=/bin/false\n\
                                   User=root\nSystemdService=dbus-org.mfa.Mfad1.service\n";

/// Makes `bus` read activation files from `dir` (as the system bus reads
/// /usr/share/dbus-1/system-services).
fn add_service_dir(bus: &Bus, dir: &std::path::Path) {
    let conf = format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><servicedir>{}</servicedir></busconfig>"#,
        dir.display()
    );
    std::fs::write(bus.policy_dir().join("zz-services.conf"), conf).expect("write");
    let reload = bus.busctl(&[
        "call",
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "ReloadConfig",
    ]);
    assert!(reload.status.success(), "{}", output_text(&reload));
}

#[test]
fn doctor_does_not_promise_activation_when_the_activation_file_runs_bin_false_without_systemd() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "");
    let root = crate::doctor::fixed_tree(&bus, &daemon);
    let services = root.path().join("usr/share/dbus-1/system-services");
    std::fs::create_dir_all(&services).expect("mkdir");
    std::fs::write(services.join("org.mfa.Mfad1.service"), PACKAGED_ACTIVATION).expect("write");
    add_service_dir(&bus, &services);
    daemon.stop();
    let (code, text) = crate::doctor::doctor(&bus, &root, &["--skip-clock"]);
    if std::path::Path::new("/run/systemd/system").is_dir() {
        // systemd takes the start over: the activation works, a WARN says it is slow.
        crate::doctor::finding(&text, "[WARN]", "D-Bus will start it");
        return;
    }
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains("D-Bus will start it"), "{text}");
    let (_, fix) = crate::doctor::finding(&text, "[FAIL]", "D-Bus cannot start it");
    assert!(
        fix.is_some_and(|f| f.starts_with("start it with service mfad start")),
        "{text}"
    );
}

fn test_login(stack: &PamStack, bus: Option<&Bus>) -> String {
    let dir = stack.dir().to_str().expect("utf-8 path");
    let service = stack.service();
    let out = mfa_with_input(
        bus,
        &[
            "test-login",
            "--pam-dir",
            dir,
            "--service",
            service,
            "alice",
        ],
        "",
    );
    output_text(&out)
}

#[test]
fn test_login_warns_when_the_stack_has_no_pam_mfa_at_all() {
    let stack = PamStack::from_text(
        "demo",
        "auth required pam_permit.so\naccount required pam_permit.so\n",
    );
    let text = test_login(&stack, None);
    assert!(
        text.contains("warning: the auth stack of 'demo' (")
            && text.contains("has no pam_mfa.so: this login asks for no second factor"),
        "{text}"
    );
    assert!(text.contains("PAM result: success"), "{text}");
}

#[test]
fn test_login_does_not_warn_when_the_stack_runs_pam_mfa() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let built = PamStack::new(&bus, &daemon);
    // The module under its installed name (the build calls it libpam_mfa.so).
    let module = &build_once().pam_module;
    let stack = PamStack::from_text("demo", "");
    let link = stack.dir().join("pam_mfa.so");
    std::os::unix::fs::symlink(module, &link).expect("symlink");
    let text = built
        .text()
        .replace(&module.display().to_string(), &link.display().to_string());
    stack.write_file("demo", &text);
    let out = test_login(&stack, Some(&bus));
    assert!(!out.contains("has no pam_mfa.so"), "{out}");
    assert!(out.contains("Verification code"), "{out}");
}

/// What the module showed, as `PROMPT: text` / `ERROR: text` / `INFO: text` lines.
struct Recorded {
    answers: std::collections::VecDeque<String>,
    seen: Vec<String>,
}

impl mfa_cli::pam_app::Conversation for Recorded {
    fn prompt(&mut self, style: mfa_cli::pam_app::Style, text: &str) -> Option<String> {
        use mfa_cli::pam_app::Style;
        let (tag, answer) = match style {
            Style::EchoOff | Style::EchoOn => ("PROMPT", self.answers.pop_front()),
            Style::ErrorMsg => ("ERROR", Some(String::new())),
            Style::TextInfo => ("INFO", Some(String::new())),
        };
        self.seen.push(format!("{tag}: {text}"));
        answer
    }
}

/// pam_authenticate with `flags`, as sudo calls it (sudo passes PAM_SILENT by default).
fn authenticate_with_flags(stack: &PamStack, answers: &[&str], flags: i32) -> (i32, Vec<String>) {
    let mut conv = Recorded {
        answers: answers.iter().map(|a| a.to_string()).collect(),
        seen: Vec::new(),
    };
    let code = {
        let mut tx = mfa_cli::pam_app::Transaction::start(
            stack.service(),
            "alice",
            Some(stack.dir()),
            &mut conv,
        )
        .unwrap_or_else(|o| panic!("pam_start: {}", o.code));
        tx.authenticate(flags).code
    };
    (code, conv.seen)
}

const PAM_SILENT: i32 = 0x8000;

#[test]
fn under_pam_silent_the_prompts_still_come_and_only_the_final_denial_text_is_left_out() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let stack = PamStack::new(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let wrong = wrong_code(SECRET, "SHA1", 6, 30);

    let (code, loud) = authenticate_with_flags(&stack, &[&wrong], 0);
    assert_eq!(code, codes::PAM_AUTH_ERR, "{loud:?}");
    assert_eq!(
        loud,
        vec![
            "PROMPT: Verification code: ",
            "ERROR: Wrong verification code."
        ]
    );

    let (code, silent) = authenticate_with_flags(&stack, &[&wrong], PAM_SILENT);
    assert_eq!(code, codes::PAM_AUTH_ERR, "{silent:?}");
    assert_eq!(silent, vec!["PROMPT: Verification code: "]);
}

#[test]
fn under_pam_silent_what_the_user_must_do_while_waiting_is_still_shown() {
    let bus = Bus::start();
    let _fake = crate::fake_mfad::start_fake(&bus, "wait-then-granted");
    let stack = PamStack::with_options(&bus, bus.owner_uid(), StackOptions::default());
    for flags in [0, PAM_SILENT] {
        let (code, seen) = authenticate_with_flags(&stack, &[], flags);
        assert_eq!(code, codes::PAM_SUCCESS, "{flags:#x}: {seen:?}");
        assert_eq!(
            seen,
            vec!["ERROR: Answer the call and press #."],
            "{flags:#x}"
        );
    }
}
