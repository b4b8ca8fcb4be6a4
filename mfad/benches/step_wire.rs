//! `mfa_proto::Step` to and from its D-Bus shape `(u, s, u)`: what the daemon encodes and the
//! module decodes (and checks) for every step of every login.

use criterion::{Criterion, criterion_group, criterion_main};
use mfa_proto::Step;
use std::hint::black_box;

fn bench_step(c: &mut Criterion) {
    let prompt = Step::Prompt {
        text: "Verification code: ".into(),
        echo: false,
        digits: true,
    };
    let denied = Step::Denied {
        text: "That code is not right. Try again at the next login.".into(),
    };
    let mut group = c.benchmark_group("step_wire");
    for (name, step) in [
        ("prompt", &prompt),
        ("denied", &denied),
        ("granted", &Step::Granted),
    ] {
        let wire = step.to_wire();
        assert_eq!(Step::from_wire(wire.clone()).as_ref(), Ok(step));
        group.bench_function(format!("encode {name}"), |b| {
            b.iter(|| black_box(step).to_wire())
        });
        group.bench_function(format!("decode {name}"), |b| {
            b.iter(|| Step::from_wire(black_box(wire.clone())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_step);
criterion_main!(benches);
