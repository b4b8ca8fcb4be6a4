//! Point 11 of issue 10: a panic never crosses a boundary. Built with the test-only
//! `panic-inject` feature (see `panic_build`): the module panics inside hook X when the PAM
//! service is `panic-in-X`, and mfad panics once at the point `MFAD_PANIC_AT` names.
//! A panic inside a PAM hook must reach neither the host (sshd/sudo: here `pam-hook-host`) nor
//! success; a panic inside a daemon method must give that caller an error and leave the daemon
//! up, serving the same user right after (no user lock left held).

use mfa_tests::*;
use std::process::Command;

const SECRET: &str = "JBSWY3DPEHPK3PXP";

fn right_code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

/// Runs the stand-in host on `service` of `stack`; its `(authenticate, setcred)` codes. Fails
/// the test if the host did not survive.
fn host_login(stack: &PamStack, user: &str, answers: &[&str]) -> (i32, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_pam-hook-host"))
        .arg(stack.dir())
        .arg(stack.service())
        .arg(user)
        .args(answers)
        .output()
        .expect("run pam-hook-host");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the host did not survive the hook ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let code = |name: &str| -> i32 {
        stdout
            .split_whitespace()
            .find_map(|field| field.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} code in {stdout:?}"))
    };
    (code("authenticate"), code("setcred"))
}

/// A stack named `service` around the panic-inject build of the module.
fn panicking_stack(bus: &Bus, daemon: &Daemon, service: &str) -> PamStack {
    let module = &panic_build().pam_module;
    let text = format!(
        "auth required {} bus={} daemon_uid={} nodelay\naccount required pam_permit.so\n",
        module.display(),
        bus.address(),
        daemon.uid()
    );
    PamStack::from_text(service, &text)
}

/// The ordinary daemon with alice enrolled.
fn daemon_with_alice(bus: &Bus) -> Daemon {
    let daemon = Daemon::start(bus, "");
    enroll_totp(bus, "alice", SECRET, 6, "SHA1", 30);
    daemon
}

/// The panic-inject daemon that panics once at `point`, with alice enrolled.
fn daemon_panicking_at(bus: &Bus, point: &str) -> Daemon {
    let daemon = Daemon::start_program(bus, "", &panic_build().mfad, &[("MFAD_PANIC_AT", point)]);
    enroll_totp(bus, "alice", SECRET, 6, "SHA1", 30);
    daemon
}

#[test]
fn a_panic_inside_pam_authenticate_reaches_neither_the_host_nor_success() {
    let bus = Bus::start();
    let daemon = daemon_with_alice(&bus);
    let stack = panicking_stack(&bus, &daemon, "panic-in-authenticate");
    let (authenticate, _) = host_login(&stack, "alice", &[&right_code()]);
    assert_eq!(authenticate, codes::PAM_AUTH_ERR, "{}", daemon.log());
}

#[test]
fn a_panic_inside_pam_setcred_reaches_neither_the_host_nor_success() {
    let bus = Bus::start();
    let daemon = daemon_with_alice(&bus);
    let stack = panicking_stack(&bus, &daemon, "panic-in-setcred");
    let (authenticate, setcred) = host_login(&stack, "alice", &[&right_code()]);
    assert_eq!(authenticate, codes::PAM_SUCCESS, "{}", daemon.log());
    assert_eq!(setcred, codes::PAM_CRED_ERR);
}

#[test]
fn the_panic_inject_module_behaves_normally_under_any_other_service_name() {
    let bus = Bus::start();
    let daemon = daemon_with_alice(&bus);
    let stack = panicking_stack(&bus, &daemon, "sshd");
    let (authenticate, setcred) = host_login(&stack, "alice", &[&right_code()]);
    assert_eq!(
        (authenticate, setcred),
        (codes::PAM_SUCCESS, codes::PAM_SUCCESS)
    );
}

/// After the injected panic: the daemon is up and alice logs in with a right code.
fn assert_survived_and_alice_logs_in(bus: &Bus, daemon: &mut Daemon) {
    assert!(daemon.is_running(), "mfad died:\n{}", daemon.log());
    assert!(daemon.log().contains("contained"), "{}", daemon.log());
    let (rc, transcript) = PamStack::new(bus, daemon).login("alice", &[&right_code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{transcript:?}\n{}", daemon.log());
}

#[test]
fn a_panic_inside_start_fails_that_login_and_the_daemon_serves_the_next_one() {
    let bus = Bus::start();
    let mut daemon = daemon_panicking_at(&bus, "start");
    let (rc, _) = PamStack::new(&bus, &daemon).login("alice", &[&right_code()]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{}", daemon.log());
    assert_survived_and_alice_logs_in(&bus, &mut daemon);
}

#[test]
fn a_panic_inside_start_does_not_let_a_wrong_code_in_with_failmode_open() {
    let bus = Bus::start();
    let mut daemon = daemon_panicking_at(&bus, "start");
    let stack = PamStack::with_args(&bus, &daemon, &["failmode=open"]);
    let wrong = wrong_code(SECRET, "SHA1", 6, 30);
    let (rc, transcript) = stack.login("alice", &[&wrong, &wrong, &wrong]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{transcript:?}\n{}", daemon.log());
    assert_survived_and_alice_logs_in(&bus, &mut daemon);
}

#[test]
fn a_panic_inside_answer_while_holding_the_user_lock_leaves_the_lock_free() {
    let bus = Bus::start();
    let mut daemon = daemon_panicking_at(&bus, "answer");
    let (rc, _) = PamStack::new(&bus, &daemon).login("alice", &[&right_code()]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{}", daemon.log());
    assert_survived_and_alice_logs_in(&bus, &mut daemon);
}

/// `busctl call` on the daemon's object.
fn call(bus: &Bus, interface: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["call", MFAD_BUS_NAME, "/org/mfa/Mfad1", interface];
    all.extend_from_slice(args);
    busctl_at(bus.address(), &all)
}

/// Start for alice then Poll, on one bus connection (a session belongs to its caller's
/// connection); Poll's error text, or None when Poll answered.
fn start_then_poll(bus: &Bus) -> Option<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let conn = zbus::connection::Builder::address(bus.address())
            .build()
            .await
            .expect("connect to the bus");
        let call = |method: &'static str, body| {
            let conn = conn.clone();
            async move {
                conn.call_method(
                    Some(MFAD_BUS_NAME),
                    "/org/mfa/Mfad1",
                    Some("org.mfa.Mfad1.Auth"),
                    method,
                    &body,
                )
                .await
            }
        };
        let started = call("Start", ("alice", "sshd", "", ""))
            .await
            .expect("Start");
        let (id, _step): (String, (u32, String, u32)) =
            started.body().deserialize().expect("Start's reply");
        let polled = conn
            .call_method(
                Some(MFAD_BUS_NAME),
                "/org/mfa/Mfad1",
                Some("org.mfa.Mfad1.Auth"),
                "Poll",
                &(id.as_str(),),
            )
            .await;
        polled.err().map(|e| e.to_string())
    })
}

#[test]
fn a_panic_inside_poll_gives_the_caller_an_error_and_the_daemon_stays_up() {
    let bus = Bus::start();
    let mut daemon = daemon_panicking_at(&bus, "poll");
    let error = start_then_poll(&bus).expect("Poll answered despite the panic");
    assert!(error.contains("internal error"), "{error}");
    assert_survived_and_alice_logs_in(&bus, &mut daemon);
}

#[test]
fn a_panic_inside_an_admin_change_holding_the_user_lock_leaves_the_lock_free() {
    let bus = Bus::start();
    let mut daemon = daemon_panicking_at(&bus, "admin");
    let reset = call(&bus, "org.mfa.Mfad1.Admin", &["Reset", "s", "alice"]);
    assert!(!reset.status.success(), "Reset answered despite the panic");
    assert_survived_and_alice_logs_in(&bus, &mut daemon);
}

#[test]
fn a_panic_while_holding_the_session_table_does_not_refuse_every_later_login() {
    let bus = Bus::start();
    let mut daemon = daemon_panicking_at(&bus, "restore");
    let error = start_then_poll(&bus).expect("Poll answered despite the panic");
    assert!(error.contains("internal error"), "{error}");
    assert_survived_and_alice_logs_in(&bus, &mut daemon);
}
