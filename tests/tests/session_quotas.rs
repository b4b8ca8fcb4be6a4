//! One local user cannot fill mfad's session table: non-root callers together hold at most half
//! of `max_sessions`, one uid at most 16, one connection at most 8, so root's logins (sshd,
//! sudo through the module) always find room.

use mfa_tests::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Stdio};

const NOBODY: u32 = 65534;
const MAX_SESSIONS: usize = 32;

/// A running `session-flood` as `uid`, holding the sessions it opened until dropped.
struct Flood {
    child: Child,
    stdin: Option<ChildStdin>,
    accepted: usize,
}

impl Flood {
    fn start(bus: &Bus, uid: u32, user: &str, connections: usize, starts: usize) -> Flood {
        let mut child = as_user(uid, env!("CARGO_BIN_EXE_session-flood"))
            .args([bus.address(), user])
            .args([connections.to_string(), starts.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("session-flood");
        let stdin = child.stdin.take();
        let mut line = String::new();
        let stdout = child.stdout.take().expect("flood stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("flood counts");
        let accepted = line
            .split_whitespace()
            .find_map(|f| f.strip_prefix("accepted="))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no counts from session-flood: {line:?}"));
        Flood {
            child,
            stdin,
            accepted,
        }
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

fn daemon(bus: &Bus) -> Daemon {
    Daemon::start(bus, &format!("[daemon]\nmax_sessions = {MAX_SESSIONS}\n"))
}

#[test]
fn a_non_root_flood_of_start_does_not_stop_a_root_login() {
    let bus = Bus::start();
    let daemon = daemon(&bus);
    let flood = Flood::start(&bus, NOBODY, "nobody", 8, 8);
    assert!(
        flood.accepted <= MAX_SESSIONS / 2,
        "nobody holds {} of {MAX_SESSIONS} sessions",
        flood.accepted
    );
    let pam = PamStack::new(&bus, &daemon);
    let (rc, transcript) = pam.login("alice", &["123456"]);
    assert_eq!(
        rc,
        codes::PAM_AUTH_ERR,
        "root's login was asked for a code and denied, not turned away:\n{transcript}\n{}",
        daemon.log()
    );
    assert!(daemon.log().contains("refusing a new session"));
}

#[test]
fn one_connection_holds_at_most_eight_sessions() {
    let bus = Bus::start();
    let _daemon = daemon(&bus);
    let flood = Flood::start(&bus, NOBODY, "nobody", 1, 20);
    assert_eq!(flood.accepted, 8);
}

#[test]
fn one_user_holds_at_most_sixteen_sessions_over_all_its_connections() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let flood = Flood::start(&bus, NOBODY, "nobody", 4, 8);
    assert_eq!(flood.accepted, 16);
}

#[test]
fn sessions_of_a_flood_that_left_are_freed_for_the_same_user() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    drop(Flood::start(&bus, NOBODY, "nobody", 2, 8));
    // The daemon drops a departed caller's sessions when the bus says it left.
    let mut accepted = 0;
    for _ in 0..50 {
        accepted = Flood::start(&bus, NOBODY, "nobody", 2, 8).accepted;
        if accepted == 16 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(accepted, 16);
}
