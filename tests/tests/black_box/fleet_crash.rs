//! Crashes under load in a fleet on one PostgreSQL: a daemon killed with SIGKILL and restarted,
//! and the database itself stopped at once (as a crash) and started again, while logins run on
//! every host. Whatever a host acknowledged (PAM_SUCCESS) stays decided: its code is a replay
//! everywhere afterwards, every enrollment still logs in, failures counted before the crash
//! still count, and no login that ran entirely inside an outage was let through.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mfa_tests::postgres::Server;
use mfa_tests::*;

use crate::fleet_setup::Fleet;

const HOSTS: usize = 3;
/// The host whose daemon is killed.
const CRASHED: usize = 1;
const USERS: usize = 36;
const THREADS: usize = 4;
/// Codes each user has at the start of the load: steps `now - CODES + 1 ..= now`.
const CODES: u64 = 8;
const MAX_FAILURES: usize = 15;
/// Ten steps either side of now: each user has many codes to use within one period. No delays
/// before the lock (the lock users reach it quickly).
const POLICY: &str = "\n[totp]\nwindow = 10\n\n[limits]\nmax_failures = 15\nfree_failures = 15\n";
const LOCKED: &str = "mfa-crash-locked";
const COUNTED: &str = "mfa-crash-counted";

fn user(i: usize) -> String {
    format!("mfa-crash-{i:02}")
}

/// A base32 seed of the user's own (20 bytes), different for every user.
fn secret(i: usize) -> String {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..32)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            B32[(x % 32) as usize] as char
        })
        .collect()
}

fn step_now() -> u64 {
    now_unix() / 30
}

fn code_at(secret: &str, step: u64) -> String {
    oathtool_code(secret, "SHA1", 6, 30, Some(step * 30 + 1))
}

/// One login of the load.
#[derive(Debug, Clone)]
struct Try {
    host: usize,
    user: usize,
    step: u64,
    code: String,
    rc: i32,
    began: Instant,
    ended: Instant,
}

impl Try {
    fn acked(&self) -> bool {
        self.rc == codes::PAM_SUCCESS
    }

    /// Began at or after `from` and ended before `to`: ran entirely within.
    fn within(&self, from: Instant, to: Instant) -> bool {
        self.began >= from && self.ended <= to
    }
}

/// The times of the crashes (each taken on the safe side of the event).
struct Events {
    killed: Instant,
    restart_began: Instant,
    restarted: Instant,
    db_stopped: Instant,
    db_start_began: Instant,
    db_back: Instant,
}

/// Logins for the users of thread `t`, each code in step order until it is decided, on the
/// hosts in turn, until `stop`.
fn load(t: usize, pams: &[PamStack], first_step: u64, stop: &AtomicBool, tries: &Mutex<Vec<Try>>) {
    let mine: Vec<usize> = (t..USERS).step_by(THREADS).collect();
    let mut next: HashMap<usize, u64> = mine.iter().map(|&u| (u, first_step)).collect();
    let mut turn = t;
    while !stop.load(Ordering::Relaxed) {
        let now = step_now();
        let Some(&u) = mine
            .iter()
            .min_by_key(|u| next[u])
            .filter(|u| next[u] <= now)
        else {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
        let step = next[&u];
        let code = code_at(&secret(u), step);
        let host = turn % HOSTS;
        turn += 1;
        let began = Instant::now();
        let (rc, _) = pams[host].login(&user(u), &[&code]);
        let ended = Instant::now();
        // "Unavailable" decided nothing: the code is tried again (on the next host). If it
        // was consumed all the same (an answer lost with a killed daemon), that try is a
        // replay and refused.
        if rc != codes::PAM_AUTHINFO_UNAVAIL {
            next.insert(u, step + 1);
        }
        tries.lock().expect("tries").push(Try {
            host,
            user: u,
            step,
            code,
            rc,
            began,
            ended,
        });
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// Stops the load however the scope ends (a panic in it would otherwise wait forever).
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Waits (at most `within`) until `done` says so over the tries so far.
fn wait_until(tries: &Mutex<Vec<Try>>, within: Duration, done: impl Fn(&[Try]) -> bool) -> bool {
    let began = Instant::now();
    while began.elapsed() < within {
        if done(&tries.lock().expect("tries")) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn replays_logged(daemons: &[Daemon]) -> usize {
    daemons
        .iter()
        .map(|d| d.log().matches("outcome=denied-replayed").count())
        .sum()
}

#[test]
fn a_daemon_killed_and_the_database_restarted_under_load_lose_nothing_acknowledged() {
    let began = Instant::now();
    let server = Server::private();
    let db = server.database();
    let fleet = Fleet::on(&db.url, POLICY);
    let (ok, out) = fleet.migrate();
    assert!(ok, "{out}");
    let mut buses = Vec::new();
    let mut daemons = Vec::new();
    let mut pams = Vec::new();
    for _ in 0..HOSTS {
        let (bus, daemon, pam) = fleet.host();
        buses.push(bus);
        daemons.push(daemon);
        pams.push(pam);
    }
    // Enrolled through every host in turn (the crashed one too), each with a seed of their own.
    for i in 0..USERS {
        ensure_user(&user(i));
        enroll_totp(&buses[i % HOSTS], &user(i), &secret(i), 6, "SHA1", 30);
    }
    for (name, i) in [(LOCKED, USERS), (COUNTED, USERS + 1)] {
        ensure_user(name);
        enroll_totp(&buses[CRASHED], name, &secret(i), 6, "SHA1", 30);
    }
    // Failures acknowledged before the crashes, through the host that will be killed: one
    // account locked, another one failure short of the lock.
    let wrong = |i: usize| wrong_code(&secret(i), "SHA1", 6, 30);
    for n in 1..=MAX_FAILURES {
        let (rc, t) = pams[CRASHED].login(LOCKED, &[&wrong(USERS)]);
        let expected = if n == MAX_FAILURES {
            codes::PAM_MAXTRIES
        } else {
            codes::PAM_AUTH_ERR
        };
        assert_eq!(rc, expected, "failure {n}: {t}");
    }
    for n in 1..MAX_FAILURES {
        let (rc, t) = pams[CRASHED].login(COUNTED, &[&wrong(USERS + 1)]);
        assert_eq!(rc, codes::PAM_AUTH_ERR, "failure {n}: {t}");
    }

    let first_step = step_now() + 1 - CODES;
    let stop = AtomicBool::new(false);
    let tries = Mutex::new(Vec::<Try>::new());
    let events = std::thread::scope(|s| {
        let _stop = StopOnDrop(&stop);
        for t in 0..THREADS {
            let (pams, stop, tries) = (&pams, &stop, &tries);
            s.spawn(move || load(t, pams, first_step, stop, tries));
        }
        let acks = |tries: &[Try]| tries.iter().filter(|t| t.acked()).count();
        let started = wait_until(&tries, Duration::from_secs(10), |t| acks(t) >= 40);
        // The crashes happen whatever the load did (the asserts below say what it did).
        daemons[CRASHED].kill();
        let killed = Instant::now();
        std::thread::sleep(Duration::from_secs(1));
        let restart_began = Instant::now();
        daemons[CRASHED].restart();
        let restarted = Instant::now();
        wait_until(&tries, Duration::from_secs(10), |t| {
            t.iter()
                .any(|t| t.host == CRASHED && t.began >= restarted && t.acked())
        });
        std::thread::sleep(Duration::from_secs(1));
        server.stop();
        let db_stopped = Instant::now();
        std::thread::sleep(Duration::from_secs(3));
        let db_start_began = Instant::now();
        server.start();
        let db_back = Instant::now();
        wait_until(&tries, Duration::from_secs(20), |t| {
            (0..HOSTS).all(|h| {
                t.iter()
                    .any(|t| t.host == h && t.began >= db_back && t.acked())
            })
        });
        std::thread::sleep(Duration::from_secs(1));
        stop.store(true, Ordering::Relaxed);
        assert!(started, "the load got going");
        Events {
            killed,
            restart_began,
            restarted,
            db_stopped,
            db_start_began,
            db_back,
        }
    });
    let tries = tries.into_inner().expect("tries");
    let logs = || -> String { daemons.iter().map(Daemon::log).collect() };
    let acked: Vec<&Try> = tries.iter().filter(|t| t.acked()).collect();
    let e = &events;
    // The load went through the crashes: acknowledged logins before, and on every host after.
    let before = acked.iter().filter(|t| t.ended <= e.killed).count();
    assert!(before >= 40, "{before} acknowledged before the kill");
    assert!(
        acked
            .iter()
            .any(|t| t.host == CRASHED && t.began >= e.restarted),
        "the restarted daemon acknowledged logins\n{}",
        daemons[CRASHED].log()
    );
    for (h, daemon) in daemons.iter().enumerate() {
        assert!(
            acked.iter().any(|t| t.host == h && t.began >= e.db_back),
            "host {h} acknowledged logins once the database was back\n{}",
            daemon.log()
        );
    }
    // Failed closed: nothing that ran entirely inside an outage was let in.
    let dead_daemon: Vec<&Try> = tries
        .iter()
        .filter(|t| t.host == CRASHED && t.within(e.killed, e.restart_began))
        .collect();
    assert!(!dead_daemon.is_empty(), "logins reached the killed host");
    // (The module's default failmode: a daemon that cannot be reached lets no one in.)
    assert!(
        dead_daemon
            .iter()
            .all(|t| t.rc == codes::PAM_AUTHINFO_UNAVAIL),
        "{dead_daemon:?}"
    );
    let dead_db: Vec<&Try> = tries
        .iter()
        .filter(|t| t.within(e.db_stopped, e.db_start_began))
        .collect();
    assert!(
        !dead_db.is_empty(),
        "logins ran while the database was down"
    );
    assert!(
        dead_db.iter().all(|t| t.rc == codes::PAM_AUTHINFO_UNAVAIL),
        "{dead_db:?}\n{}",
        logs()
    );

    // Every acknowledged step is in the database.
    let rows = server.psql(&db.name, "SELECT name, totp_last_step FROM users");
    let steps: HashMap<&str, u64> = rows
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(n, s)| (n, s.trim().parse().expect("a step")))
        .collect();
    for t in &acked {
        let stored = steps.get(user(t.user).as_str()).copied().unwrap_or(0);
        assert!(
            stored >= t.step,
            "{t:?} acknowledged, the database has {stored}"
        );
    }

    // Each acknowledged code again, on the host that took it if that is the crashed one and
    // on the others in turn otherwise: a replay, refused. Then a fresh code logs each user in.
    let replayed_before = replays_logged(&daemons);
    let window_floor = step_now().saturating_sub(10);
    let in_window = acked.iter().filter(|t| t.step >= window_floor).count();
    let refused = std::thread::scope(|s| {
        let runs: Vec<_> = (0..THREADS)
            .map(|th| {
                let (pams, acked) = (&pams, &acked);
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, t) in acked
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| t.user % THREADS == th)
                    {
                        let host = if t.host == CRASHED {
                            CRASHED
                        } else {
                            i % HOSTS
                        };
                        let (rc, _) = pams[host].login(&user(t.user), &[&t.code]);
                        out.push((host, t.user, t.step, rc));
                    }
                    let fresh = step_now() + 1;
                    for u in (th..USERS).step_by(THREADS) {
                        let (rc, tr) =
                            pams[u % HOSTS].login(&user(u), &[&code_at(&secret(u), fresh)]);
                        assert_eq!(
                            rc,
                            codes::PAM_SUCCESS,
                            "{} with a fresh code: {tr}",
                            user(u)
                        );
                    }
                    out
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("replays"))
            .collect::<Vec<_>>()
    });
    let let_in: Vec<_> = refused
        .iter()
        .filter(|(_, _, _, rc)| *rc != codes::PAM_AUTH_ERR)
        .collect();
    assert!(
        let_in.is_empty(),
        "replays not refused: {let_in:?}\n{}",
        logs()
    );
    assert_eq!(refused.len(), acked.len());
    assert!(
        refused.iter().any(|(host, ..)| *host == CRASHED),
        "replays on the restarted host"
    );
    let replayed = replays_logged(&daemons) - replayed_before;
    assert!(
        replayed >= in_window,
        "{replayed} refused as replays, {in_window} acknowledged codes still in the window"
    );

    // The lock holds everywhere; the count one short of it still counts.
    for h in [CRASHED, 0] {
        let (rc, t) = pams[h].login(LOCKED, &[&code_at(&secret(USERS), step_now())]);
        assert_eq!(rc, codes::PAM_MAXTRIES, "locked before the crashes: {t}");
    }
    let (rc, t) = pams[CRASHED].login(COUNTED, &[&wrong(USERS + 1)]);
    assert_eq!(
        rc,
        codes::PAM_MAXTRIES,
        "the last failure before the lock: {t}"
    );
    let (rc, t) = pams[2].login(COUNTED, &[&code_at(&secret(USERS + 1), step_now())]);
    assert_eq!(rc, codes::PAM_MAXTRIES, "{t}");
    // (A code retried after "unavailable" and refused: its first try was decided, the answer
    // lost with the killed daemon or the database.)
    let lost = tries.iter().filter(|t| t.rc == codes::PAM_AUTH_ERR).count();
    let at = |i: Instant| i.saturating_duration_since(began).as_secs_f32();
    eprintln!(
        "fleet crash: {} logins, {} acknowledged, {lost} answers lost; daemon killed at {:.1} s, \
         back at {:.1} s ({} logins failed closed); database stopped at {:.1} s, back at {:.1} s \
         ({} logins failed closed); {:.1} s in all",
        tries.len(),
        acked.len(),
        at(e.killed),
        at(e.restarted),
        dead_daemon.len(),
        at(e.db_stopped),
        at(e.db_back),
        dead_db.len(),
        began.elapsed().as_secs_f32()
    );
}
