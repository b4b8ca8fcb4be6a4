//! `mfa-load`: full-login latency through the real parts.
//!
//! ```sh
//! cargo run --release -p mfa_tests --bin mfa-load -- [--users N] [--logins M] [--concurrency C]
//! ```
//!
//! Starts a private system-like bus and the real `mfad` (limits wide open, so failures never
//! delay or lock), enrolls N users with random secrets through the Admin interface, then for
//! concurrency 1 and C runs M logins through real libpam (`pam_start_confdir` with the real
//! `libpam_mfa.so`, `nodelay`), each timed from `pam_start` to `pam_end`:
//!
//! - right-code logins: `min(N, ceil(M/2))`, one per user (codes are single-use, so a user logs
//!   in at most once per 30-s step; the driver waits for a fresh step between the two runs);
//! - wrong-code logins: the rest of M, round robin over the users;
//! - a reference row on top: as many logins of unenrolled users, which go through the same
//!   prompt and answer over the bus but never write to disk.
//!
//! Codes are computed in-process (RFC 6238, HMAC-SHA1) right before each login, outside the
//! timed part; one is cross-checked against `oathtool`. The release build of the driver
//! measures the release daemon and module (see `mfa_tests::build_once`).
//!
//! Exits 1 if any right-code login did not succeed or any wrong-code (or unenrolled) login
//! succeeded. Timing never fails the run.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use mfa_tests::{
    Bus, Daemon, PamStack, ScriptedConversation, Transcript, build_once, codes, now_unix,
    oathtool_code, pam_app, try_enroll_totp,
};
use sha1::Sha1;

const PERIOD: u64 = 30;
const DIGITS: u32 = 6;
/// The daemon locks an account at this many consecutive failures (the config's maximum).
const MAX_FAILURES: usize = 100;
/// Limits as wide as the config allows: no delay ever, a lock only at the 100th failure in a row.
const DAEMON_CONFIG: &str = "\
[totp]
window = 1

[limits]
max_failures = 100
free_failures = 100
delay_base = 1
delay_max = 1
";
/// Parallel `busctl` calls while enrolling.
const ENROLL_THREADS: usize = 8;
/// Untimed logins (unenrolled users) before each run, to warm caches.
const WARMUP: usize = 10;
/// Failing logins whose details are printed.
const SHOW_FAILURES: usize = 5;

const USAGE: &str = "\
usage: mfa-load [--users N] [--logins M] [--concurrency C]

  --users N        users to enroll (default 500)
  --logins M       logins per concurrency level (default 2000): min(N, ceil(M/2)) with the
                   right code (one per user), the rest with a wrong code
  --concurrency C  threads for the second run (default 8; the first run uses 1)

Build with --release to measure the release daemon and module.";

#[derive(Debug, Clone, Copy)]
struct Options {
    users: usize,
    logins: usize,
    concurrency: usize,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        users: 500,
        logins: 2000,
        concurrency: 8,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        let slot = match name {
            "--users" => &mut opts.users,
            "--logins" => &mut opts.logins,
            "--concurrency" => &mut opts.concurrency,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))?,
        };
        *slot = value
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name}: {value:?} is not a positive number"))?;
    }
    Ok(opts)
}

/// How many logins of each kind one concurrency level runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    right: usize,
    wrong: usize,
    unenrolled: usize,
}

impl Plan {
    fn new(opts: &Options) -> Plan {
        let right = opts.users.min(opts.logins.div_ceil(2));
        Plan {
            right,
            wrong: opts.logins - right,
            unenrolled: right,
        }
    }

    /// Worst case of consecutive failures of one user over all levels (users outside the
    /// right-code set never succeed in between).
    fn failures_per_user(&self, users: usize, levels: usize) -> usize {
        self.wrong.div_ceil(users) * levels
    }
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 4226/6238, HMAC-SHA1), independent of the daemon's implementation.

fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret).expect("any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    let value = binary % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// A code that is wrong at `step` for any window up to ±1 (the daemon's setting here).
fn wrong_code(secret: &[u8], step: u64) -> String {
    let valid: Vec<String> = (step.saturating_sub(1)..=step + 1)
        .map(|s| hotp(secret, s, DIGITS))
        .collect();
    let modulus = 10u32.pow(DIGITS);
    let mut candidate: u32 = valid[1].parse().expect("digits");
    loop {
        candidate = (candidate + modulus / 2 + 1) % modulus;
        let text = format!("{candidate:0width$}", width = DIGITS as usize);
        if !valid.contains(&text) {
            return text;
        }
    }
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Users and enrollment.

struct User {
    name: String,
    secret: Vec<u8>,
    secret_b32: String,
}

fn make_users(n: usize) -> Result<Vec<User>, String> {
    let mut random = vec![0u8; n * 20];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut random))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(random
        .chunks(20)
        .enumerate()
        .map(|(i, secret)| User {
            name: format!("load{i:05}"),
            secret: secret.to_vec(),
            secret_b32: base32(secret),
        })
        .collect())
}

/// `Admin.EnrollTotp` for every user, `ENROLL_THREADS` busctl calls at a time.
fn enroll_all(bus: &Bus, users: &[User]) -> Result<Duration, String> {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let errors: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..ENROLL_THREADS)
            .map(|_| {
                s.spawn(|| {
                    let mut errors = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(user) = users.get(i) else { break };
                        if let Err(e) =
                            try_enroll_totp(bus, &user.name, &user.secret_b32, DIGITS, "SHA1", 30)
                        {
                            errors.push(format!("{}: {e}", user.name));
                        }
                    }
                    errors
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("enroll thread"))
            .collect()
    });
    match errors.first() {
        None => Ok(start.elapsed()),
        Some(first) => Err(format!(
            "{} enrollments failed, first: {first}",
            errors.len()
        )),
    }
}

/// The in-process code must equal oathtool's for the same moment.
fn cross_check(user: &User) -> Result<(), String> {
    let t = now_unix();
    let ours = hotp(&user.secret, t / PERIOD, DIGITS);
    let theirs = oathtool_code(&user.secret_b32, "SHA1", DIGITS, PERIOD, Some(t));
    if ours == theirs {
        println!(
            "codes: in-process HMAC-SHA1, matches oathtool for {} at {t} ({ours})",
            user.name
        );
        Ok(())
    } else {
        Err(format!(
            "in-process code {ours} differs from oathtool's {theirs} for {} at {t}",
            user.name
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Running logins.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Right,
    Wrong,
    Unenrolled,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Right => "right code",
            Kind::Wrong => "wrong code",
            Kind::Unenrolled => "unenrolled (ref.)",
        }
    }

    /// The outcome this kind must have, for correctness.
    fn must_succeed(self) -> bool {
        self == Kind::Right
    }
}

struct Sample {
    code: i32,
    elapsed: Duration,
    /// Only for logins with an unexpected result: what happened.
    detail: Option<String>,
}

struct Batch {
    kind: Kind,
    threads: usize,
    samples: Vec<Sample>,
    wall: Duration,
    /// The highest TOTP step whose code a right-code login used.
    max_step: Option<u64>,
}

/// One login, timed from pam_start to pam_end. The code is computed before the clock starts.
fn one_login(stack: &PamStack, kind: Kind, name: &str, secret: &[u8]) -> (Sample, Option<u64>) {
    let step = now_unix() / PERIOD;
    let (answer, used_step) = match kind {
        Kind::Right => (hotp(secret, step, DIGITS), Some(step)),
        Kind::Wrong | Kind::Unenrolled => (wrong_code(secret, step), None),
    };
    let mut conv = ScriptedConversation::new(&[&answer]);
    let req = pam_app::Request {
        service: stack.service(),
        user: name,
        confdir: Some(stack.dir()),
        rhost: Some("192.0.2.10"),
        tty: Some("ssh"),
    };
    let start = Instant::now();
    let outcome = pam_app::authenticate(&req, &mut conv, true);
    let elapsed = start.elapsed();
    let expected = if kind.must_succeed() {
        codes::PAM_SUCCESS
    } else {
        codes::PAM_AUTH_ERR
    };
    let detail = (outcome.code != expected).then(|| {
        let transcript: Transcript = conv.finish();
        format!(
            "{} login of {name}: {} at {}\n{transcript}",
            kind.label(),
            outcome.describe(),
            outcome.stage
        )
    });
    let sample = Sample {
        code: outcome.code,
        elapsed,
        detail,
    };
    (sample, used_step)
}

/// Runs `jobs` (user indexes) of one kind on `threads` threads, each taking the next job.
fn run_batch(
    stack: &PamStack,
    users: &[User],
    kind: Kind,
    jobs: &[usize],
    threads: usize,
) -> Batch {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let per_thread: Vec<(Vec<Sample>, Option<u64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut samples = Vec::new();
                    let mut max_step = None;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&u) = jobs.get(i) else { break };
                        let (name, secret) = match kind {
                            Kind::Unenrolled => (format!("nobody{i:05}"), &[0u8; 20][..]),
                            _ => (users[u].name.clone(), &users[u].secret[..]),
                        };
                        let (sample, step) = one_login(stack, kind, &name, secret);
                        samples.push(sample);
                        max_step = max_step.max(step);
                    }
                    (samples, max_step)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("login thread"))
            .collect()
    });
    let wall = start.elapsed();
    let max_step = per_thread.iter().filter_map(|(_, s)| *s).max();
    Batch {
        kind,
        threads,
        samples: per_thread.into_iter().flat_map(|(s, _)| s).collect(),
        wall,
        max_step,
    }
}

/// Sleeps until the TOTP step is past `used`, so every user has a fresh code again.
fn wait_for_fresh_step(used: u64) -> Duration {
    let start = Instant::now();
    loop {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970");
        if now.as_secs() / PERIOD > used {
            return start.elapsed();
        }
        let boundary = Duration::from_secs((used + 1) * PERIOD);
        let left = boundary.saturating_sub(now) + Duration::from_millis(20);
        std::thread::sleep(left);
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report.

struct Stats {
    count: usize,
    ok: usize,
    fail: usize,
    median: f64,
    p90: f64,
    p99: f64,
    max: f64,
    per_second: f64,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn stats(batch: &Batch) -> Stats {
    let mut ms: Vec<f64> = batch
        .samples
        .iter()
        .map(|s| s.elapsed.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let ok = batch
        .samples
        .iter()
        .filter(|s| s.code == codes::PAM_SUCCESS)
        .count();
    Stats {
        count: ms.len(),
        ok,
        fail: ms.len() - ok,
        median: percentile(&ms, 50.0),
        p90: percentile(&ms, 90.0),
        p99: percentile(&ms, 99.0),
        max: ms.last().copied().unwrap_or(f64::NAN),
        per_second: ms.len() as f64 / batch.wall.as_secs_f64(),
    }
}

fn print_table(batches: &[Batch]) {
    println!();
    println!(
        "{:>4}  {:<18} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "conc",
        "logins",
        "count",
        "ok",
        "fail",
        "median ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "logins/s"
    );
    for batch in batches {
        let s = stats(batch);
        println!(
            "{:>4}  {:<18} {:>6} {:>6} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.1}",
            batch.threads,
            batch.kind.label(),
            s.count,
            s.ok,
            s.fail,
            s.median,
            s.p90,
            s.p99,
            s.max,
            s.per_second
        );
    }
    println!();
}

/// Counts of PAM codes other than the expected one, e.g. `PAM_AUTHINFO_UNAVAIL x3`.
fn unexpected_codes(batch: &Batch) -> Vec<String> {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for s in batch.samples.iter().filter(|s| s.detail.is_some()) {
        match counts.iter_mut().find(|(c, _)| *c == s.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.code, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(c, n)| format!("{} x{n}", codes::name(c)))
        .collect()
}

fn filesystem_of(path: &Path) -> String {
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return "?".into();
    };
    // SAFETY: statfs fills the zeroed struct for a valid NUL-terminated path.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c_path.as_ptr(), &mut st) } != 0 {
        return "?".into();
    }
    match st.f_type as u64 {
        0xEF53 => "ext2/3/4".into(),
        0x0102_1994 => "tmpfs (fsync is a no-op)".into(),
        0x9123_683E => "btrfs".into(),
        0x5846_5342 => "xfs".into(),
        0x794C_7630 => "overlayfs".into(),
        0x2FC1_2FC1 => "zfs".into(),
        other => format!("f_type {other:#x}"),
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

// ---------------------------------------------------------------------------------------------

fn run(opts: Options) -> Result<bool, String> {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let levels: Vec<usize> = if opts.concurrency == 1 {
        vec![1]
    } else {
        vec![1, opts.concurrency]
    };
    let plan = Plan::new(&opts);
    let worst = plan.failures_per_user(opts.users, levels.len());
    if worst >= MAX_FAILURES {
        return Err(format!(
            "{} wrong-code logins per level over {} users would fail one account {worst} times \
             in a row and lock it (at {MAX_FAILURES}); use more --users or fewer --logins",
            plan.wrong, opts.users
        ));
    }

    let artifacts = build_once();
    println!("profile: {profile} (driver, daemon and module)");
    if profile == "debug" {
        println!("  WARNING: debug build; add --release to measure what ships");
    }
    println!("  mfad:   {}", artifacts.mfad.display());
    println!("  module: {}", artifacts.pam_module.display());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine: {cpus} CPUs, load average at start {}",
        load_average()
    );

    let bus = Bus::start();
    let daemon = Daemon::start(&bus, DAEMON_CONFIG);
    println!(
        "state: {} ({})",
        daemon.state_dir().display(),
        filesystem_of(daemon.state_dir())
    );
    let stack = PamStack::new(&bus, &daemon);

    let users = make_users(opts.users)?;
    let took = enroll_all(&bus, &users)?;
    println!(
        "enrolled {} users through Admin.EnrollTotp (busctl, {ENROLL_THREADS} at a time) in {:.1} s",
        users.len(),
        took.as_secs_f64()
    );
    cross_check(&users[0])?;
    println!(
        "plan per level: {} right-code logins (one per user), {} wrong-code, {} unenrolled \
         (reference); levels: {levels:?} threads",
        plan.right, plan.wrong, plan.unenrolled
    );

    let right_jobs: Vec<usize> = (0..plan.right).collect();
    let wrong_jobs: Vec<usize> = (0..plan.wrong).map(|i| i % opts.users).collect();
    let unenrolled_jobs: Vec<usize> = (0..plan.unenrolled).collect();
    let mut batches = Vec::new();
    let mut used_step: Option<u64> = None;
    for &threads in &levels {
        run_batch(
            &stack,
            &users,
            Kind::Unenrolled,
            &[0; WARMUP],
            threads.min(WARMUP),
        );
        if let Some(step) = used_step {
            let waited = wait_for_fresh_step(step);
            if !waited.is_zero() {
                println!(
                    "waited {:.1} s for the next TOTP step (codes are single-use)",
                    waited.as_secs_f64()
                );
            }
        }
        for (kind, jobs) in [
            (Kind::Right, &right_jobs),
            (Kind::Wrong, &wrong_jobs),
            (Kind::Unenrolled, &unenrolled_jobs),
        ] {
            if jobs.is_empty() {
                continue;
            }
            let batch = run_batch(&stack, &users, kind, jobs, threads);
            used_step = used_step.max(batch.max_step);
            println!(
                "ran {:>5} {:<18} on {threads} thread(s) in {:.2} s",
                jobs.len(),
                batch.kind.label(),
                batch.wall.as_secs_f64()
            );
            batches.push(batch);
        }
    }

    print_table(&batches);

    let mut correct = true;
    let mut shown = 0;
    for batch in &batches {
        let unexpected = unexpected_codes(batch);
        if unexpected.is_empty() {
            continue;
        }
        let wrong_result = batch
            .samples
            .iter()
            .filter(|s| (s.code == codes::PAM_SUCCESS) != batch.kind.must_succeed())
            .count();
        if wrong_result > 0 {
            correct = false;
        }
        println!(
            "{} {} on {} thread(s): {}",
            if wrong_result > 0 { "FAIL" } else { "note" },
            batch.kind.label(),
            batch.threads,
            unexpected.join(", ")
        );
        for s in batch.samples.iter().filter_map(|s| s.detail.as_ref()) {
            if shown < SHOW_FAILURES {
                println!("{s}");
                shown += 1;
            }
        }
    }
    if correct {
        println!("correctness: every right code got in, no wrong code or unenrolled user did");
    } else {
        let log = daemon.log();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        println!("--- last lines of the daemon's log ---");
        for line in tail.iter().rev() {
            println!("{line}");
        }
        println!("correctness: FAILED");
    }
    drop(stack);
    drop(daemon);
    drop(bus);
    Ok(correct)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse_args(&args) {
        Ok(opts) => opts,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("mfa-load: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("mfa-load: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        assert_eq!(hotp(secret, 59 / 30, 8), "94287082");
        assert_eq!(hotp(secret, 1111111109 / 30, 8), "07081804");
        assert_eq!(hotp(secret, 20000000000 / 30, 8), "65353130");
    }

    #[test]
    fn base32_matches_the_rfc_secret() {
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn wrong_codes_miss_the_whole_window() {
        let secret = b"12345678901234567890";
        for step in [0u64, 1, 55_555_555] {
            let wrong = wrong_code(secret, step);
            assert_eq!(wrong.len(), 6);
            for s in step.saturating_sub(1)..=step + 1 {
                assert_ne!(wrong, hotp(secret, s, 6));
            }
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 90.0), 90.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
    }

    #[test]
    fn plan_splits_logins_and_caps_right_codes_at_one_per_user() {
        let p = Plan::new(&Options {
            users: 500,
            logins: 2000,
            concurrency: 8,
        });
        assert_eq!((p.right, p.wrong, p.unenrolled), (500, 1500, 500));
        assert_eq!(p.failures_per_user(500, 2), 6);
        let p = Plan::new(&Options {
            users: 2000,
            logins: 2000,
            concurrency: 8,
        });
        assert_eq!((p.right, p.wrong), (1000, 1000));
    }

    #[test]
    fn arguments() {
        let a = |v: &[&str]| parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let o = a(&["--users", "3", "--logins=4", "--concurrency", "2"]).unwrap();
        assert_eq!((o.users, o.logins, o.concurrency), (3, 4, 2));
        assert!(a(&["--users", "0"]).is_err());
        assert!(a(&["--bogus"]).is_err());
        assert!(a(&["--logins"]).is_err());
    }
}
