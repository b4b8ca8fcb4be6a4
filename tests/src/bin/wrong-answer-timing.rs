//! `wrong-answer-timing`: how long mfad takes to answer a wrong code for an enrolled account
//! and for an unknown one (they must not be told apart by timing).
//!
//! ```sh
//! cargo run -p mfa_tests --bin wrong-answer-timing -- [TRIES]
//! ```
//!
//! Starts a private bus and the real `mfad` (limits wide open, so no try is delayed or locked),
//! enrolls `alice`, then alternates: `Start` for alice or for `nosuchuser`, and times the
//! `Answer` with a wrong code, as root on one connection. Prints median and p90 for each.

use mfa_tests::{Bus, Daemon, enroll_totp, wrong_code};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const CONFIG: &str =
    "[limits]\nmax_failures = 100\nfree_failures = 100\ndelay_base = 1\ndelay_max = 1\n";
const DESTINATION: &str = "org.mfa.Mfad1";
const PATH: &str = "/org/mfa/Mfad1";
const INTERFACE: &str = "org.mfa.Mfad1.Auth";
/// Tries per account when none is given; both stay below the 100-failure lock.
const DEFAULT_TRIES: usize = 40;

async fn time_wrong_answer(conn: &zbus::Connection, user: &str) -> Result<Duration, String> {
    let reply = conn
        .call_method(
            Some(DESTINATION),
            PATH,
            Some(INTERFACE),
            "Start",
            &(user, "sshd", "", ""),
        )
        .await
        .map_err(|e| format!("Start: {e}"))?;
    let (id, _step): (String, (u32, String, u32)) =
        reply.body().deserialize().map_err(|e| e.to_string())?;
    let code = wrong_code(SECRET, "SHA1", 6, 30);
    let began = Instant::now();
    conn.call_method(
        Some(DESTINATION),
        PATH,
        Some(INTERFACE),
        "Answer",
        &(id.as_str(), code.as_str()),
    )
    .await
    .map_err(|e| format!("Answer: {e}"))?;
    Ok(began.elapsed())
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<10} n={} median={:.2} ms p90={:.2} ms min={:.2} ms max={:.2} ms",
        times.len(),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.0)),
        ms(at(1.0))
    );
}

async fn measure(address: &str, tries: usize) -> Result<(), String> {
    let conn = zbus::connection::Builder::address(address)
        .build()
        .await
        .map_err(|e| e.to_string())?;
    // Warm up both paths (page cache, first allocations).
    time_wrong_answer(&conn, "alice").await?;
    time_wrong_answer(&conn, "nosuchuser").await?;
    let (mut enrolled, mut unknown) = (Vec::new(), Vec::new());
    for _ in 0..tries {
        enrolled.push(time_wrong_answer(&conn, "alice").await?);
        unknown.push(time_wrong_answer(&conn, "nosuchuser").await?);
    }
    summary("enrolled", enrolled);
    summary("unknown", unknown);
    Ok(())
}

fn main() -> ExitCode {
    let tries = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_TRIES)
        .clamp(1, 95);
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, CONFIG);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(measure(bus.address(), tries)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
