//! Test-only fault injection: with the `panic-inject` feature, `MFAD_PANIC_AT=<point>` makes the
//! daemon panic at that named point, once (so a test can also show that the next call, of the
//! same user, goes through: no lock is left held). Without the
//! feature every call is an empty inline function: release packages cannot be made to panic.

/// Panics (the first time only) when built with `panic-inject` and `MFAD_PANIC_AT` names `point`.
#[inline(always)]
pub fn point(point: &str) {
    #[cfg(feature = "panic-inject")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static FIRED: AtomicBool = AtomicBool::new(false);
        if std::env::var("MFAD_PANIC_AT").is_ok_and(|wanted| wanted == point)
            && !FIRED.swap(true, Ordering::SeqCst)
        {
            panic!("injected panic at {point}");
        }
    }
    #[cfg(not(feature = "panic-inject"))]
    let _ = point;
}
