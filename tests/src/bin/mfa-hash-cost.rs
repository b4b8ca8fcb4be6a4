//! Measures what issue 10's points 8 and 10 changed in the daemon's per-answer work: one
//! backup-code check with a legacy hex hash vs a PHC hash, and one NSS lookup of the record key.
//! `mfa-hash-cost [ROUNDS]` prints the median and p99 of each, in milliseconds.

use std::time::Instant;

fn measure(rounds: usize, mut work: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn main() -> Result<(), String> {
    let rounds: usize = match std::env::args().nth(1) {
        Some(n) => n.parse().map_err(|_| "ROUNDS must be a number")?,
        None => 50,
    };
    let salt = "00112233445566778899aabbccddeeff";
    let phc = mfad::argon2_phc::hash("1234567890", salt.as_bytes())?;
    let legacy = measure(rounds, || {
        let _ = mfad::argon2_phc::legacy_hex("1234567891", salt);
    });
    let rehash = measure(rounds, || {
        let _ = mfad::argon2_phc::rehash_like("1234567891", &phc);
    });
    let lookup = measure(rounds * 20, || {
        let _ = mfad::store::account_name::canonical("root");
    });
    println!(
        "legacy hex check   median {:.2} ms  p99 {:.2} ms",
        legacy.0, legacy.1
    );
    println!(
        "PHC check          median {:.2} ms  p99 {:.2} ms",
        rehash.0, rehash.1
    );
    println!(
        "getpwnam_r (files) median {:.4} ms  p99 {:.4} ms",
        lookup.0, lookup.1
    );
    Ok(())
}
