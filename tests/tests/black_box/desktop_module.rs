//! The module's arguments for desktop programs, through real libpam, the real module and (except
//! where a fake must say which method was called) the real daemon: `single_buffer=` with the real
//! pam_unix checking the password part, a program that sends the password again as the code,
//! an empty answer, `min_time=`, `unavail=auth_err` and `render=oneline`.
//!
//! The password half runs through pam_unix against a real local account (the tests run as root,
//! as CI does), so PAM_AUTHTOK is set and read the way a screen locker's stack does it.

use crate::fake_mfad::start_fake;
use mfa_tests::*;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// A local account with a password pam_unix checks (its name is also the one enrolled).
const USER: &str = "mfadesk";
/// Digits and a dash: it passes for a code once the dash is dropped, so a module that sent it on
/// would have the daemon count a wrong code.
const PASSWORD: &str = "2468-1357";
/// After one free failure every further one waits 10 minutes: a single counted failure shows
/// as a refused right code.
const ONE_FREE_FAILURE: &str =
    "[limits]\nmax_failures = 10\nfree_failures = 1\ndelay_base = 600\ndelay_max = 600\n";

/// Creates the account and sets its password once per test process.
fn local_account() -> &'static str {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        ensure_user(USER);
        let mut chpasswd = Command::new("chpasswd")
            .stdin(Stdio::piped())
            .spawn()
            .expect("run chpasswd");
        use std::io::Write;
        chpasswd
            .stdin
            .take()
            .expect("chpasswd stdin")
            .write_all(format!("{USER}:{PASSWORD}\n").as_bytes())
            .expect("write to chpasswd");
        assert!(chpasswd.wait().expect("chpasswd").success(), "chpasswd");
    });
    USER
}

fn code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

fn wrong() -> String {
    wrong_code(SECRET, "SHA1", 6, 30)
}

/// A daemon with the account enrolled for authenticator codes.
fn enrolled(config: &str) -> (Bus, Daemon) {
    let user = local_account();
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, config);
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    (bus, daemon)
}

/// i3lock's stack: `pam_mfa.so single_buffer=+` then `pam_unix.so use_first_pass`.
fn single_buffer_stack(bus: &Bus, daemon: &Daemon) -> PamStack {
    PamStack::with_options(
        bus,
        daemon.uid(),
        StackOptions {
            service: "i3lock".into(),
            module_args: vec!["single_buffer=+".into()],
            after: vec!["auth required pam_unix.so use_first_pass".into()],
            ..Default::default()
        },
    )
}

/// A stack where pam_unix asks the password first and pam_mfa asks the code after it.
fn password_then_code_stack(bus: &Bus, daemon: &Daemon) -> PamStack {
    PamStack::with_options(
        bus,
        daemon.uid(),
        StackOptions {
            service: "xscreensaver".into(),
            before: vec!["auth required pam_unix.so".into()],
            ..Default::default()
        },
    )
}

/// True when the daemon's log shows a code was checked for this account (any outcome).
fn code_was_checked(daemon: &Daemon) -> bool {
    daemon.log().contains("method=totp outcome=")
}

/// A stack whose bus address leads nowhere.
fn unreachable_stack(bus: &Bus, args: &[&str]) -> PamStack {
    PamStack::with_options(
        bus,
        0,
        StackOptions {
            bus_address: Some(format!("unix:path={}/no-such-socket", bus.dir().display())),
            module_args: args.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        },
    )
}

#[test]
fn single_buffer_right_password_and_code_unlock_with_one_prompt() {
    let (bus, daemon) = enrolled("");
    let pam = single_buffer_stack(&bus, &daemon);
    let (rc, t) = pam.login(USER, &[&format!("{PASSWORD}+{}", code())]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert_eq!(t.prompts(), vec!["Password+code: "], "{t}");
}

#[test]
fn single_buffer_right_password_with_a_wrong_code_is_denied() {
    let (bus, daemon) = enrolled("");
    let pam = single_buffer_stack(&bus, &daemon);
    let (rc, t) = pam.login(USER, &[&format!("{PASSWORD}+{}", wrong())]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());
    assert!(
        daemon.log().contains("outcome=denied-wrong-code"),
        "{}",
        daemon.log()
    );
    assert_eq!(t.prompts().len(), 1, "asked once: {t}");
}

#[test]
fn single_buffer_wrong_password_with_the_right_code_is_denied_by_pam_unix() {
    let (bus, daemon) = enrolled("");
    let pam = single_buffer_stack(&bus, &daemon);
    let (rc, t) = pam.login(USER, &[&format!("not-the-password+{}", code())]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());
    // The code half was right: only the password half, handed to pam_unix, failed.
    assert!(
        daemon.log().contains("method=totp outcome=granted"),
        "{}",
        daemon.log()
    );
}

#[test]
fn single_buffer_without_a_separator_fails_fast_and_the_daemon_checks_nothing() {
    let (bus, daemon) = enrolled("");
    let pam = single_buffer_stack(&bus, &daemon);
    let (rc, t) = pam.login(USER, &[PASSWORD]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());
    assert!(
        t.contains("Type your password, then + and the code."),
        "{t}"
    );
    assert!(!code_was_checked(&daemon), "{}", daemon.log());
}

#[test]
fn the_password_sent_again_as_the_code_fails_fast_and_counts_nothing() {
    let (bus, daemon) = enrolled(ONE_FREE_FAILURE);
    let pam = password_then_code_stack(&bus, &daemon);
    for _ in 0..2 {
        let (rc, t) = pam.login(USER, &[PASSWORD, PASSWORD]);
        assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());
        assert!(
            t.contains("This screen sent your password as the code"),
            "{t}"
        );
        assert!(t.contains("single_buffer=+"), "{t}");
    }
    assert!(!code_was_checked(&daemon), "{}", daemon.log());
    // Two counted failures would put the account in a 10-minute delay: it is not in one.
    let (rc, t) = pam.login(USER, &[PASSWORD, &code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn the_password_sent_again_as_the_code_is_logged_as_such() {
    let (bus, daemon) = enrolled("");
    let pam = password_then_code_stack(&bus, &daemon);
    let out = login_logged(&pam, USER, &[PASSWORD, PASSWORD]);
    assert!(!out.success, "{out:#?}");
    assert_eq!(
        out.log_lines("outcome=same answer as password").len(),
        1,
        "{out:#?}"
    );
    assert!(
        !out.stderr.contains(PASSWORD),
        "the password is never logged"
    );
}

/// The daemon's side of an empty answer (show the prompt again) lands apart; this proves the
/// module's side: the empty answer is sent instead of being refused before it crosses the bus.
#[test]
fn enter_alone_at_the_code_prompt_is_sent_to_the_daemon_not_refused_by_the_module() {
    let (bus, daemon) = enrolled("");
    let pam = PamStack::new(&bus, &daemon);
    let out = login_logged(&pam, USER, &[""]);
    assert!(!out.stdout.contains("No code was entered"), "{out:#?}");
    assert!(
        out.log_lines("outcome=refused malformed input").is_empty(),
        "{out:#?}"
    );
    assert_eq!(out.log_lines("outcome=").len(), 1, "{out:#?}");
}

#[test]
fn min_time_holds_even_an_instant_refusal_for_at_least_that_long() {
    let bus = Bus::start();
    let pam = unreachable_stack(&bus, &["min_time=300"]);
    let began = Instant::now();
    let (rc, t) = pam.login("alice", &[]);
    let took = began.elapsed();
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    assert!(
        took >= Duration::from_millis(300),
        "returned after {took:?}"
    );
}

#[test]
fn unavail_auth_err_reports_an_unreachable_daemon_as_an_authentication_error() {
    let bus = Bus::start();
    let (rc, t) = unreachable_stack(&bus, &[]).login("alice", &[]);
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "by default: {t}");
    let (rc, t) = unreachable_stack(&bus, &["unavail=auth_err"]).login("alice", &[]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}");
}

#[test]
fn unavail_auth_err_keeps_failmode_open_for_an_unreachable_daemon() {
    let bus = Bus::start();
    let pam = unreachable_stack(&bus, &["unavail=auth_err", "failmode=open"]);
    let (rc, t) = pam.login("alice", &[]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}");
}

fn first_prompt_from_render_echo(args: &[&str]) -> String {
    let bus = Bus::start();
    let _fake = start_fake(&bus, "render-echo");
    let pam = PamStack::with_options(
        &bus,
        bus.owner_uid(),
        StackOptions {
            module_args: args.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        },
    );
    let (_, t) = pam.login("alice", &["123456"]);
    t.prompts()
        .first()
        .map(|p| p.to_string())
        .unwrap_or_default()
}

#[test]
fn render_oneline_starts_the_login_with_start_rendered_and_the_oneline_value() {
    assert_eq!(
        first_prompt_from_render_echo(&["render=oneline"]),
        "Started with render 1: "
    );
}

#[test]
fn without_render_the_login_starts_with_plain_start_and_render_lines_says_so() {
    // Without render= the daemon decides by the service name, so plain Start.
    assert_eq!(
        first_prompt_from_render_echo(&[]),
        "Started without a render: "
    );
    assert_eq!(
        first_prompt_from_render_echo(&["render=lines"]),
        "Started with render 0: "
    );
}

/// A one-line stack (GDM, xsecurelock, kscreenlocker) for the real daemon.
fn one_line_stack(bus: &Bus, daemon: &Daemon) -> PamStack {
    PamStack::with_options(
        bus,
        daemon.uid(),
        StackOptions {
            service: "xsecurelock".into(),
            module_args: vec!["render=oneline".into()],
            ..Default::default()
        },
    )
}

#[test]
fn render_oneline_through_the_module_gets_one_short_line_from_the_real_daemon() {
    let (bus, daemon) = enrolled("");
    let (rc, t) = one_line_stack(&bus, &daemon).login(USER, &[&code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let prompts = t.prompts();
    assert_eq!(prompts.len(), 1, "{t}");
    assert!(!prompts[0].contains('\n'), "one line: {t}");
    assert!(
        prompts[0].chars().count() <= 40,
        "{:?} is longer than one line",
        prompts[0]
    );
}

#[test]
fn enter_alone_at_the_code_prompt_shows_it_again_and_counts_nothing() {
    let (bus, daemon) = enrolled(ONE_FREE_FAILURE);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login(USER, &["", &code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let prompts = t.prompts();
    assert_eq!(prompts[0], prompts[1], "the same prompt again: {t}");
    assert!(
        !daemon.log().contains("denied-wrong-code"),
        "{}",
        daemon.log()
    );
}
