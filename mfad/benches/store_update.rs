//! One record change through the `UserStore` seam, as the engine makes it after every answer
//! (lock, load, change, temp file, rename), on a temporary state directory under `$TMPDIR`; and
//! a plain read for comparison. A change of login state only (here: the last used step) leaves
//! its fsync to the kernel (`store/files/deferred.rs`; the restart fence makes that safe,
//! docs/durability.md), so this is the cost a login pays, not an fsync.

use criterion::{Criterion, criterion_group, criterion_main};
use mfad::store::{FileStore, Missing, TotpMethod, UserRecord, UserStore};
use std::hint::black_box;

const USER: &str = "benchuser";

fn record() -> UserRecord {
    let mut record = UserRecord::new();
    record.totp = Some(TotpMethod {
        secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        last_step: 0,
        enrolled_at: 1_764_000_000,
        window: None,
    });
    record
}

fn bench_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp state dir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let store: Box<dyn UserStore> = Box::new(FileStore::open(dir.path()).expect("open store"));
    let created = runtime.block_on(store.update(USER, Missing::Create, |r| {
        *r = record();
        Ok::<(), ()>(())
    }));
    assert_eq!(created.ok(), Some(Ok(())));

    let mut group = c.benchmark_group("store");
    group.sample_size(30);
    group.bench_function("update (login save, fsync deferred)", |b| {
        b.iter(|| {
            runtime.block_on(store.update(black_box(USER), Missing::Refuse, |r| {
                if let Some(totp) = r.totp.as_mut() {
                    totp.last_step += 1;
                }
                Ok::<(), ()>(())
            }))
        })
    });
    group.bench_function("get", |b| {
        b.iter(|| runtime.block_on(store.get(black_box(USER))))
    });
    group.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
