//! No code is ever accepted twice, across kill -9 and across power loss, although logins do not
//! fsync (`mfad/src/store/files/deferred.rs`, `docs/durability.md`).
//!
//! A power loss is staged with the daemon's debug-only journal: with `state/test-power-loss/`
//! present, every record about to be replaced without fsync has its synced content kept there;
//! after a kill -9 the test puts those back (what the disk may hold after a power loss) and
//! changes `state/test-boot-id` (what a reboot does to the kernel's boot id).

use mfa_tests::*;
use std::path::Path;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const FENCE_WARNING: &str = "the machine went down while mfad ran";

fn code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

/// The daemon restarted once so that it read `boot` as the kernel's boot id.
fn daemon_on_boot(bus: &Bus, boot: &str) -> Daemon {
    let mut daemon = Daemon::start(bus, "");
    std::fs::write(daemon.state_dir().join("test-boot-id"), boot).expect("boot id");
    std::fs::create_dir_all(daemon.state_dir().join("test-power-loss")).expect("journal");
    daemon.restart();
    daemon
}

/// What a power loss may leave: every write that was not synced is undone.
fn lose_unsynced_writes(state: &Path) -> usize {
    let journal = state.join("test-power-loss");
    let mut undone = 0;
    for entry in std::fs::read_dir(&journal).expect("journal").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        match name.strip_suffix(".absent") {
            Some(file) => std::fs::remove_file(state.join("users").join(file)).expect("undo"),
            None => std::fs::copy(entry.path(), state.join("users").join(&name))
                .map(|_| ())
                .expect("undo"),
        }
        std::fs::remove_file(entry.path()).expect("journal entry");
        undone += 1;
    }
    undone
}

fn last_step(state: &Path, user: &str) -> u64 {
    let text = std::fs::read_to_string(state.join(format!("users/{user}.toml"))).expect("record");
    text.lines()
        .find_map(|l| l.strip_prefix("last_step = "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_code_used_before_a_kill_is_refused_after_each_restart_and_others_log_in_at_once() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "");
    let users: Vec<String> = (0..5).map(|i| format!("killed{i}")).collect();
    for user in &users {
        enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    }
    for user in &users {
        let pam = PamStack::new(&bus, &daemon);
        let code = code();
        // A user nobody logged in as yet: no fence after a kill, so the first try works.
        let (rc, t) = pam.login(user, &[&code]);
        assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
        daemon.kill();
        daemon.restart();
        let (rc, t) = PamStack::new(&bus, &daemon).login(user, &[&code]);
        assert_eq!(rc, codes::PAM_AUTH_ERR, "replayed after kill -9: {t}");
    }
    assert!(!daemon.log().contains(FENCE_WARNING), "{}", daemon.log());
}

#[test]
fn a_code_used_before_a_power_loss_is_refused_after_the_reboot_although_the_disk_lost_its_use() {
    let bus = Bus::start();
    let mut daemon = daemon_on_boot(&bus, "boot-1");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = code();
    let (rc, t) = PamStack::new(&bus, &daemon).login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let state = daemon.state_dir().to_path_buf();
    let used = last_step(&state, "alice");
    assert!(used > 0, "the login used a step");

    daemon.kill();
    assert!(lose_unsynced_writes(&state) > 0, "the login was not synced");
    assert!(last_step(&state, "alice") < used, "the disk lost the use");
    std::fs::write(state.join("test-boot-id"), "boot-2").expect("reboot");
    daemon.restart();

    let (rc, t) = PamStack::new(&bus, &daemon).login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "replayed after power loss: {t}");
    assert!(daemon.log().contains(FENCE_WARNING), "{}", daemon.log());
    // The enrollment itself was synced: alice is still enrolled (a wrong code, not unknown).
    let status = mfa(&bus, &["admin", "status", "alice"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("totp"),
        "{}",
        output_text(&status)
    );
}

#[test]
fn a_clean_stop_before_a_reboot_costs_no_one_a_wait() {
    let bus = Bus::start();
    let mut daemon = daemon_on_boot(&bus, "boot-1");
    enroll_totp(&bus, "bob", SECRET, 6, "SHA1", 30);
    enroll_totp(&bus, "carol", SECRET, 6, "SHA1", 30);
    let (rc, t) = PamStack::new(&bus, &daemon).login("bob", &[&code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    daemon.stop();
    let state = daemon.state_dir().to_path_buf();
    assert_eq!(lose_unsynced_writes(&state), 0, "a clean stop syncs all");
    std::fs::write(state.join("test-boot-id"), "boot-2").expect("reboot");
    daemon.restart();
    let (rc, t) = PamStack::new(&bus, &daemon).login("carol", &[&code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert!(!daemon.log().contains(FENCE_WARNING), "{}", daemon.log());
}
