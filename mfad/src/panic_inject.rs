//! Test-only fault injection: with the `panic-inject` feature, `MFAD_PANIC_AT=<point>` makes the
//! daemon panic at that named point, so tests can prove a panic is contained. Without the
//! feature every call is an empty inline function: release packages cannot be made to panic.

/// Panics when built with `panic-inject` and `MFAD_PANIC_AT` names `point`.
#[inline(always)]
pub fn point(point: &str) {
    #[cfg(feature = "panic-inject")]
    if std::env::var("MFAD_PANIC_AT").is_ok_and(|wanted| wanted == point) {
        panic!("injected panic at {point}");
    }
    #[cfg(not(feature = "panic-inject"))]
    let _ = point;
}
