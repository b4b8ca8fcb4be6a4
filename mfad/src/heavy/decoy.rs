//! Decoy work for accounts with nothing to check: wait as long as a real backup-code hash takes,
//! without spending the CPU. The estimate starts from one hash measured at start-up and follows
//! the real hashes (a moving average), so the wait tracks the machine.

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Until a hash was measured: about what one 19 MiB Argon2id hash costs on a small server.
const FIRST_GUESS: Duration = Duration::from_millis(50);

static ESTIMATE_MICROS: AtomicU64 = AtomicU64::new(FIRST_GUESS.as_micros() as u64);
static CALIBRATE: Once = Once::new();

/// A real hash took `took`: fold it into the estimate (weight 1/8, so one slow hash under load
/// moves it a little, not all the way).
pub fn note_hash_time(took: Duration) {
    let sample = took.as_micros().min(u128::from(u32::MAX)) as u64;
    let _ = ESTIMATE_MICROS.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
        Some(old - old / 8 + sample / 8)
    });
}

/// Wait as long as checking a backup code would take.
pub async fn decoy_hash_wait() {
    calibrate();
    let micros = ESTIMATE_MICROS.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_micros(micros)).await;
}

/// Measure one hash on a thread of its own, once (later calls return at once).
pub fn calibrate() {
    CALIBRATE.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("mfad-calibrate".into())
            .spawn(|| {
                let started = crate::clock::now();
                // The same Argon2id a backup code costs (backup_codes::hash), without naming the method.
                if crate::argon2_phc::hash("0000000000", b"calibration-salt").is_ok() {
                    ESTIMATE_MICROS.store(
                        crate::clock::now()
                            .saturating_duration_since(started)
                            .as_micros() as u64,
                        Ordering::Relaxed,
                    );
                }
            });
    });
}
