//! The FFI boundary guard: a hook body runs inside `catch_unwind`, so a panic (a bug, or one
//! injected by the test-only `panic-inject` feature) becomes a failure code and never unwinds
//! into sshd or sudo. A caught panic never yields success: it fails closed, whatever failmode.

use pam::constants::PamResultCode;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `body`; a panic inside it becomes `on_panic` (never `PAM_SUCCESS`).
pub fn contained(on_panic: PamResultCode, body: impl FnOnce() -> PamResultCode) -> PamResultCode {
    let fallback = if on_panic == PamResultCode::PAM_SUCCESS {
        PamResultCode::PAM_ABORT
    } else {
        on_panic
    };
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// With `panic-inject`, the PAM service `panic-in-<hook>` panics inside that hook.
#[inline(always)]
pub fn inject(service: &str, hook: &str) {
    #[cfg(feature = "panic-inject")]
    if service.strip_prefix("panic-in-") == Some(hook) {
        panic!("injected panic in {hook}");
    }
    #[cfg(not(feature = "panic-inject"))]
    let _ = (service, hook);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_body_gives_the_failure_code() {
        let code = contained(PamResultCode::PAM_AUTH_ERR, || panic!("boom"));
        assert_eq!(code, PamResultCode::PAM_AUTH_ERR);
    }

    #[test]
    fn a_panic_never_turns_into_success() {
        let code = contained(PamResultCode::PAM_SUCCESS, || panic!("boom"));
        assert_eq!(code, PamResultCode::PAM_ABORT);
    }

    #[test]
    fn a_body_that_returns_keeps_its_code() {
        let code = contained(PamResultCode::PAM_AUTH_ERR, || PamResultCode::PAM_SUCCESS);
        assert_eq!(code, PamResultCode::PAM_SUCCESS);
    }
}
