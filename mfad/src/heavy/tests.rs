use super::*;
use std::sync::mpsc;
use std::time::Duration;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn a_job_runs_off_the_async_thread_and_returns_its_value() {
    let heavy = Heavy::new();
    let here = std::thread::current().id();
    let (value, there) = runtime()
        .block_on(heavy.run(1000, || (42, std::thread::current().id())))
        .expect("ran");
    assert_eq!(value, 42);
    assert_ne!(here, there);
}

#[test]
fn a_non_root_uid_gets_one_job_in_flight_and_root_is_not_held_by_it() {
    // Leaked: the spawned task needs the lanes for 'static.
    let heavy: &'static Heavy = Box::leak(Box::new(Heavy::new()));
    let rt = runtime();
    let (release, wait) = mpsc::channel::<()>();
    let first = rt.spawn(async move {
        heavy
            .run(1000, move || {
                wait.recv_timeout(Duration::from_secs(10)).is_ok()
            })
            .await
    });
    rt.block_on(async {
        // Let the first job claim the uid's slot.
        while !heavy.busy_uids.lock().expect("lock").contains(&1000) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let second = heavy.run(1000, || ()).await;
        assert_eq!(second, Err(HeavyError::Overloaded));
        let root = heavy.run(0, || 7).await;
        assert_eq!(root, Ok(7));
        let other_user =
            tokio::time::timeout(Duration::from_millis(200), heavy.run(1001, || ())).await;
        // The shared thread is busy with uid 1000: another uid queues behind it.
        assert!(other_user.is_err(), "queued, not run: {other_user:?}");
    });
    release.send(()).expect("release");
    assert_eq!(rt.block_on(first).expect("joined"), Ok(true));
}

#[test]
fn a_panicking_job_is_a_failure_and_the_lane_lives_on() {
    let heavy = Heavy::new();
    let rt = runtime();
    let failed = rt.block_on(heavy.run(0, || -> u8 { panic!("injected") }));
    assert_eq!(failed, Err(HeavyError::Failed));
    assert_eq!(rt.block_on(heavy.run(0, || 1)), Ok(1));
}
