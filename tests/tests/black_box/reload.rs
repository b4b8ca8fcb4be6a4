//! SIGHUP reloads mfad's configuration through the start-up loader: a good file is put in
//! force without a restart, a bad one is refused with every problem logged while the last
//! good one keeps serving, and logins in flight survive either way.

use std::fs;
use std::time::{Duration, Instant};

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const ENGLISH: &str = "[daemon]\nlanguage = \"en\"\n";
const IN_FORCE: &str = "is in force";
const REFUSED: &str = "the configuration in force is kept";

fn setup() -> (Bus, Daemon, PamStack) {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, ENGLISH);
    let pam = PamStack::new(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    (bus, daemon, pam)
}

/// Rewrites the daemon's config with `edit`, sends SIGHUP and waits until the log shows
/// `outcome` once more than before.
fn reload(daemon: &Daemon, edit: impl FnOnce(String) -> String, outcome: &str) -> Duration {
    let path = daemon.config_path();
    let text = fs::read_to_string(path).expect("config");
    fs::write(path, edit(text)).expect("rewrite config");
    let before = daemon.log().matches(outcome).count();
    let pid = daemon.pid().expect("running") as i32;
    let sent = Instant::now();
    // SAFETY: a plain kill(2) on our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0, "kill -HUP");
    let seen = try_wait_for(Duration::from_secs(10), || {
        (daemon.log().matches(outcome).count() > before).then_some(())
    });
    assert!(
        seen.is_some(),
        "no {outcome:?} after SIGHUP:\n{}",
        daemon.log()
    );
    sent.elapsed()
}

fn to_dutch(text: String) -> String {
    text.replace("language = \"en\"", "language = \"nl\"")
}

#[test]
fn sighup_puts_a_changed_language_in_force_without_restarting() {
    let (_bus, mut daemon, pam) = setup();
    let pid = daemon.pid();
    let (_, before) = pam.login("alice", &["000000"]);
    assert_eq!(before.prompts(), vec!["Verification code: "], "{before}");
    reload(&daemon, to_dutch, IN_FORCE);
    assert!(daemon.is_running(), "{}", daemon.log());
    assert_eq!(daemon.pid(), pid);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, after) = pam.login("alice", &[&code]);
    assert_eq!(after.prompts(), vec!["Verificatiecode: "], "{after}");
    assert_eq!(rc, codes::PAM_SUCCESS, "{after}\n{}", daemon.log());
}

#[test]
fn a_bad_config_on_sighup_is_refused_with_every_problem_logged_and_the_last_good_one_serves() {
    let (_bus, mut daemon, pam) = setup();
    let broken = |text: String| {
        format!(
            "{}\n[limits]\nmax_failures = 1000\n\n[totp]\ndigits = 9\n",
            to_dutch(text)
        )
    };
    reload(&daemon, broken, REFUSED);
    let log = daemon.log();
    assert!(daemon.is_running(), "{log}");
    assert!(
        log.contains("reload refused") && log.contains("limits.max_failures"),
        "{log}"
    );
    assert!(log.contains("totp.digits"), "{log}");
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, t) = pam.login("alice", &[&code]);
    assert_eq!(
        t.prompts(),
        vec!["Verification code: "],
        "the old language stays: {t}"
    );
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn a_login_waiting_at_its_prompt_is_answered_after_a_reload() {
    let (_bus, daemon, pam) = setup();
    let config = daemon.config_path().to_path_buf();
    let pid = daemon.pid().expect("running") as i32;
    let log = daemon.dir().join("mfad.log");
    // The reload happens while the module holds the prompt, between Start and Answer.
    let conv = ScriptedConversation::with_resolver(&[TEXTED_CODE], move || {
        let text = fs::read_to_string(&config).expect("config");
        fs::write(&config, to_dutch(text)).expect("rewrite config");
        // SAFETY: a plain kill(2) on the daemon this test started.
        unsafe { libc::kill(pid, libc::SIGHUP) };
        let reloaded = try_wait_for(Duration::from_secs(10), || {
            let text = fs::read_to_string(&log).unwrap_or_default();
            text.contains(IN_FORCE).then_some(())
        });
        assert!(reloaded.is_some(), "no reload");
        oathtool_code(SECRET, "SHA1", 6, 30, None)
    });
    let (rc, t) = pam.login_with("alice", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn a_restart_only_key_changed_on_sighup_is_logged_and_kept() {
    let (_bus, mut daemon, pam) = setup();
    let elsewhere = daemon.dir().join("elsewhere");
    let moved = |text: String| {
        let state = daemon.state_dir().display().to_string();
        text.replace(&state, &elsewhere.display().to_string())
    };
    reload(&daemon, moved, IN_FORCE);
    let log = daemon.log();
    assert!(
        log.contains("daemon.state_dir changed; it needs a restart"),
        "{log}"
    );
    assert!(daemon.is_running(), "{log}");
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, t) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "alice is still found: {t}\n{log}");
}

#[test]
fn the_unit_reloads_with_a_check_then_sighup_and_the_man_page_says_what_reload_keeps() {
    let root = workspace_root();
    let unit = fs::read_to_string(root.join("systemd/mfad.service")).expect("unit");
    let reloads: Vec<&str> = unit
        .lines()
        .filter_map(|l| l.strip_prefix("ExecReload="))
        .collect();
    assert_eq!(
        reloads,
        vec!["/usr/sbin/mfad --check-config", "/bin/kill -HUP $MAINPID"],
        "{unit}"
    );
    let man = fs::read_to_string(root.join("man/mfad.8")).expect("man page");
    assert!(man.contains(".SH RELOAD"), "{man}");
    assert!(
        !man.contains("keeps a broken configuration from replacing a running daemon"),
        "restart stops the daemon before ExecStartPre runs"
    );
}
