//! The daemon's TOTP check (`totp::verify`, window ±1: three codes, all always computed and
//! compared in constant time) for a right code, a wrong code and a replayed one.

use criterion::{Criterion, criterion_group, criterion_main};
use mfad::config::Algorithm;
use mfad::totp::{self, TotpParams, Verdict};
use std::hint::black_box;

/// A fixed moment: benches do not read the clock (time goes through `mfad::clock`).
const NOW: u64 = 1_764_000_000;
const WINDOW: u64 = 1;

fn params() -> TotpParams {
    TotpParams {
        secret: b"12345678901234567890".to_vec(),
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: 30,
    }
}

fn bench_verify(c: &mut Criterion) {
    let params = params();
    let right = params.code_at(NOW);
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    }
    .to_string();
    let step = NOW / params.period;
    assert_eq!(
        totp::verify(&params, &right, NOW, WINDOW, 0),
        Verdict::Accepted(step)
    );
    assert_eq!(
        totp::verify(&params, &wrong, NOW, WINDOW, 0),
        Verdict::Wrong
    );

    let mut group = c.benchmark_group("totp_verify");
    group.bench_function("right code", |b| {
        b.iter(|| totp::verify(black_box(&params), black_box(&right), NOW, WINDOW, 0))
    });
    group.bench_function("wrong code", |b| {
        b.iter(|| totp::verify(black_box(&params), black_box(&wrong), NOW, WINDOW, 0))
    });
    group.bench_function("replayed code", |b| {
        b.iter(|| totp::verify(black_box(&params), black_box(&right), NOW, WINDOW, step))
    });
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
