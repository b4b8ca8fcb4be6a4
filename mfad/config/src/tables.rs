//! The keys of `[daemon]`, `[policy]`, `[services.NAME]`, `[totp]`, `[limits]` and
//! `[enrollment]`: each written once, with its type, default, allowed values and doc (see
//! [`table!`]), and the readers of the few keys that need their own checks.

use std::path::PathBuf;
use std::time::Duration;

use super::keys::{Dir, Given, Int, Secs, With, Word, secs};
use super::problems::{one_of, quote};
use super::values::{Reader, Value};
use super::{Algorithm, FirstEnrollment, Language, METHODS, Unenrolled, host_name};

table! {
    /// `[daemon]`
    pub struct DaemonConfig {
        /// Per-user state: absolute, no `..`; owner and mode are checked when it is opened.
        state_dir: PathBuf = PathBuf::from("/var/lib/mfa"), Dir;
        /// Language of the texts shown at login.
        language: Language = Language::En, Word;
        /// How long one authentication session may live.
        session_timeout: Duration = secs(300), Secs(10..=3600);
        /// Authentication sessions open at once, all callers together.
        max_sessions: usize = 1024, Int(1..=100_000);
    }
}

table! {
    /// `[policy]`
    pub struct PolicyConfig {
        /// What happens to a user with no second factor enrolled.
        unenrolled: Unenrolled = Unenrolled::Deny, Word;
    }
}

table! {
    /// `[services.NAME]`: overrides for one PAM service; `None` means "as in `[policy]`".
    pub struct ServicePolicy {
        /// As `[policy] unenrolled`, for this service.
        unenrolled: Option<Unenrolled> = None, Given(Word);
        /// The methods this service may use, in order (words of [`METHODS`], each once).
        methods: Option<Vec<String>> = None, Given(With(methods));
    }
}

table! {
    /// `[totp]`: defaults for new enrollments and the verification window.
    pub struct TotpDefaults {
        /// Label shown in authenticator apps; this host's name when the file has "".
        issuer: String = host_name(), With(issuer);
        /// TOTP hash algorithm of new enrollments.
        algorithm: Algorithm = Algorithm::Sha1, Word;
        /// Digits per code of new enrollments.
        digits: u32 = 6, Int(6..=8);
        /// Seconds per step of new enrollments.
        period: u64 = 30, Int(15..=300);
        /// Steps accepted either side of now.
        window: u64 = 1, Int(0..=10);
    }
}

table! {
    /// `[limits]`: failure limits per account (across every session, service and caller).
    pub struct Limits {
        /// Consecutive failures that lock the account until an admin unlocks it.
        max_failures: u32 = 10, With(max_failures);
        /// Failures allowed before delays start (at most `max_failures`).
        free_failures: u32 = 3, Int(0..=100);
        /// Delay after the first delayed failure; doubles with each further failure.
        delay_base: Duration = secs(5), Secs(1..=3600);
        /// Cap of that delay.
        delay_max: Duration = secs(300), Secs(1..=86_400);
    }
}

table! {
    /// `[enrollment]`: how a user with nothing enrolled may enroll a first method themselves.
    pub struct Enrollment {
        /// Who may enroll a first method.
        first: FirstEnrollment = FirstEnrollment::Admin, Word;
        /// Days of the "grace" period.
        grace_days: u64 = 14, Int(1..=365);
    }
}

/// The issuer as written ("" stays "" and becomes the host name later).
fn issuer(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    let why = if s.contains(':') {
        "contains ':', which authenticator apps do not allow in an issuer"
    } else if s.chars().any(char::is_control) {
        "contains a control character"
    } else if s.chars().count() > 100 {
        "is longer than 100 characters"
    } else {
        return Some(s.to_owned());
    };
    r.report(key, v.span(), format!("{} {why}", quote(s)));
    None
}

/// 1 ..= 100, with the reason for the upper bound.
fn max_failures(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<u32> {
    let n = r.integer(key, v)?;
    if n > 100 {
        let why = "NIST 800-63B allows at most 100 consecutive failures";
        r.report(key, v.span(), format!("{n} is more than 100 ({why})"));
        return None;
    }
    let n = r.in_range(key, v.span(), n, 1..=100)?;
    u32::try_from(n).ok()
}

/// `[services.NAME] methods`: known words, each once, not empty.
fn methods(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
    let items = r.strings(key, v)?;
    if items.is_empty() {
        let message = "is empty: no method could be used (leave the key out for every method)";
        r.report(key, v.span(), message);
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        let m = s.to_ascii_lowercase();
        if !METHODS.contains(&m.as_str()) {
            let message = format!("{} is not allowed: expected {}", quote(&s), one_of(METHODS));
            r.report(key, span, message);
            ok = false;
        } else if out.contains(&m) {
            r.report(key, span, format!("{} is listed twice", quote(&s)));
            ok = false;
        } else {
            out.push(m);
        }
    }
    ok.then_some(out)
}
