//! The benchmark's users: random secrets, enrollment in the daemon through the Admin interface,
//! and which of them may log in with a right code now (codes are single-use: the daemon accepts
//! a step only if it is later than the user's last one).

use std::fs::File;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mfa_tests::{Bus, try_enroll_totp};

use crate::totp::{DIGITS, PERIOD, base32};

/// Parallel `busctl` calls while enrolling.
const ENROLL_THREADS: usize = 8;

pub struct User {
    pub name: String,
    pub secret: Vec<u8>,
    pub secret_b32: String,
}

pub fn make_users(n: usize) -> Result<Vec<User>, String> {
    let mut random = vec![0u8; n * 20];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut random))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(random
        .chunks(20)
        .enumerate()
        .map(|(i, secret)| User {
            name: format!("bench{i:05}"),
            secret: secret.to_vec(),
            secret_b32: base32(secret),
        })
        .collect())
}

/// `Admin.EnrollTotp` for every user, `ENROLL_THREADS` busctl calls at a time.
pub fn enroll_all(bus: &Bus, users: &[User]) -> Result<Duration, String> {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let errors: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..ENROLL_THREADS)
            .map(|_| {
                s.spawn(|| {
                    let mut errors = Vec::new();
                    while let Some(user) = users.get(next.fetch_add(1, Ordering::Relaxed)) {
                        if let Err(e) = try_enroll_totp(
                            bus,
                            &user.name,
                            &user.secret_b32,
                            DIGITS,
                            "SHA1",
                            PERIOD as u32,
                        ) {
                            errors.push(format!("{}: {e}", user.name));
                        }
                    }
                    errors
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec!["enroll thread panicked".into()])
            })
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

/// Hands out users for right-code logins so that none logs in twice within one TOTP step.
pub struct Rota {
    last_step: Vec<Option<u64>>,
    next: usize,
}

impl Rota {
    pub fn new(users: usize) -> Rota {
        Rota {
            last_step: vec![None; users],
            next: 0,
        }
    }

    /// `n` users whose last right-code login was before step `now_step`, or None when fewer
    /// than `n` are free in this step.
    pub fn take(&mut self, n: usize, now_step: u64) -> Option<Vec<usize>> {
        let total = self.last_step.len();
        let mut picked = Vec::with_capacity(n);
        for offset in 0..total {
            if picked.len() == n {
                break;
            }
            let u = (self.next + offset) % total;
            if self.last_step[u].is_none_or(|s| s < now_step) {
                picked.push(u);
            }
        }
        if picked.len() < n {
            return None;
        }
        self.next = (picked[n - 1] + 1) % total;
        Some(picked)
    }

    /// The users' codes were for steps up to `step` (the step when their batch ended).
    pub fn mark_used(&mut self, users: &[usize], step: u64) {
        for &u in users {
            self.last_step[u] = Some(step);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_not_handed_out_twice_in_one_step_but_is_again_in_the_next() {
        let mut rota = Rota::new(3);
        let first = rota.take(2, 100).unwrap();
        rota.mark_used(&first, 100);
        assert_eq!(rota.take(2, 100), None);
        let last = rota.take(1, 100).unwrap();
        assert!(!first.contains(&last[0]));
        rota.mark_used(&last, 100);
        assert_eq!(rota.take(3, 101).map(|v| v.len()), Some(3));
    }
}
