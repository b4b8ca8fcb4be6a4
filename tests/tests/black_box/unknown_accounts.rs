//! A caller cannot tell an enrolled account from an unknown one: the same wrong answers get
//! the same texts (wrong code, cooldown, lock) and the same PAM codes, in the same order.

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// Two free failures, then a cooldown of a minute or more.
const COOLDOWN: &str =
    "[limits]\nmax_failures = 5\nfree_failures = 2\ndelay_base = 60\ndelay_max = 120\n";
/// Three free failures, and a lock at the third.
const LOCK: &str = "[limits]\nmax_failures = 3\nfree_failures = 3\n";
const TRIES: usize = 5;

fn wrong() -> String {
    wrong_code(SECRET, "SHA1", 6, 30)
}

/// What a caller saw of one login: its PAM code and every message.
type Seen = (i32, Vec<String>);

/// What a caller sees of one login: its PAM code and every message, seconds masked (a second
/// may tick between the two accounts' tries).
fn seen(rc: i32, transcript: &Transcript) -> Seen {
    let texts = transcript
        .seen
        .iter()
        .map(|(_, text)| {
            text.chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect()
        })
        .collect();
    (rc, texts)
}

fn wrong_answers(pam: &PamStack, user: &str) -> Vec<Seen> {
    (0..TRIES)
        .map(|_| {
            let (rc, transcript) = pam.login(user, &[&wrong()]);
            seen(rc, &transcript)
        })
        .collect()
}

/// Wrong answers for an enrolled and an unknown account under `limits`: what each saw.
fn both(limits: &str) -> (Vec<Seen>, Vec<Seen>, String) {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, limits);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    let enrolled = wrong_answers(&pam, "alice");
    let unknown = wrong_answers(&pam, "nosuchuser");
    (enrolled, unknown, daemon.log())
}

#[test]
fn enrolled_and_unknown_accounts_get_the_same_cooldown_texts() {
    let (enrolled, unknown, log) = both(COOLDOWN);
    assert_eq!(enrolled, unknown, "{log}");
    assert!(
        enrolled
            .iter()
            .flat_map(|(_, texts)| texts)
            .any(|t| t.contains("Try again in")),
        "the sequence reached the cooldown: {enrolled:?}"
    );
}

#[test]
fn enrolled_and_unknown_accounts_are_locked_alike() {
    let (enrolled, unknown, log) = both(LOCK);
    assert_eq!(enrolled, unknown, "{log}");
    assert_eq!(
        enrolled.last().map(|(rc, _)| *rc),
        Some(codes::PAM_MAXTRIES),
        "the sequence reached the lock: {enrolled:?}"
    );
}

#[test]
fn an_admin_unlock_lifts_the_lock_of_an_unknown_account_too() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[limits]\nmax_failures = 2\nfree_failures = 2\n");
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(pam.login("ghost", &[&wrong()]).0, codes::PAM_AUTH_ERR);
    assert_eq!(pam.login("ghost", &[&wrong()]).0, codes::PAM_MAXTRIES);
    assert_eq!(pam.login("ghost", &[]).0, codes::PAM_MAXTRIES);
    let _ = bus.call_mfad("Admin", "Unlock", "s", &["ghost"]);
    let (rc, transcript) = pam.login("ghost", &[&wrong()]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}\n{}", daemon.log());
}
