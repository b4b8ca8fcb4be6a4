//! The engine reads time only through its clock: a fake clock far from the real time decides
//! which TOTP code is right, and moving it ends a code's life without sleeping.

use super::Engine;
use crate::admin::{self, TotpRequest};
use crate::audit::Audit;
use crate::audit::pending::PendingLine;
use crate::clock::FakeClock;
use crate::config::{Config, Language};
use crate::login_context::LoginContext;
use crate::methods::code::totp::{self, TotpParams};
use crate::sessions::Caller;
use crate::store::FileStore;
use mfa_proto::Step;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Ten years before any plausible real time of a test run.
const LONG_AGO: u64 = 1_000_000_000;
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn root() -> Caller {
    Caller {
        sender: ":1.1".into(),
        uid: 0,
    }
}

/// A private state dir, removed when dropped.
struct StateDir(PathBuf);

impl StateDir {
    fn new(tag: &str) -> StateDir {
        let dir = std::env::temp_dir().join(format!("mfad-clock-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("state dir");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .expect("private dir");
        StateDir(dir)
    }
}

impl Drop for StateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An engine over a fresh private state dir, with `clock`, and `alice` enrolled with TOTP.
async fn engine_with(tag: &str, clock: Arc<FakeClock>) -> (Engine, StateDir) {
    let dir = StateDir::new(tag);
    let store = Arc::new(FileStore::open(&dir.0).expect("store"));
    let audit = Arc::new(Audit::open(true, &dir.0));
    let cx = LoginContext::new(Arc::new(Config::default()), store, audit).with_clock(clock);
    let engine = Engine::from_context(cx);
    let request = TotpRequest {
        secret_base32: Some(SECRET),
        digits: None,
        algorithm: None,
        period: None,
    };
    let line = PendingLine::new("admin", &[("action", "enroll-totp"), ("user", "alice")]);
    admin::enroll_totp(&engine, "alice", request, &line)
        .await
        .expect("enrolled");
    (engine, dir)
}

fn code_at(unix: u64) -> String {
    let params = TotpParams {
        secret: totp::decode_secret(SECRET).expect("base32"),
        algorithm: crate::config::Algorithm::Sha1,
        digits: 6,
        period: 30,
    };
    params.code_at(unix)
}

async fn login(engine: &Engine, code: &str) -> Step {
    let (id, first) = engine
        .start(root(), "alice", "sshd", "", "")
        .await
        .expect("started");
    assert!(matches!(first, Step::Prompt { .. }), "{first:?}");
    engine.answer(&root(), &id, code).await.expect("answered")
}

#[tokio::test]
async fn the_code_of_the_fake_clocks_time_is_accepted() {
    let clock = Arc::new(FakeClock::at(LONG_AGO));
    let (engine, _dir) = engine_with("accepted", clock.clone()).await;
    assert_eq!(engine.clock().unix_now(), LONG_AGO);
    assert_eq!(login(&engine, &code_at(LONG_AGO)).await, Step::Granted);
}

#[tokio::test]
async fn a_code_is_refused_once_the_fake_clock_has_moved_past_its_window() {
    let clock = Arc::new(FakeClock::at(LONG_AGO));
    let (engine, _dir) = engine_with("refused", clock.clone()).await;
    clock.advance(Duration::from_secs(600));
    let step = login(&engine, &code_at(LONG_AGO)).await;
    assert!(
        matches!(step, Step::Prompt { .. } | Step::Denied { .. }),
        "{step:?}"
    );
}

#[tokio::test]
async fn a_cooldown_after_failures_ends_when_the_fake_clock_moves_past_it() {
    let clock = Arc::new(FakeClock::at(LONG_AGO));
    let (engine, _dir) = engine_with("cooldown", clock.clone()).await;
    let limits = Config::default().limits;
    let wrong = code_at(LONG_AGO - 3600);
    for _ in 0..=limits.free_failures {
        let step = login(&engine, &wrong).await;
        assert_ne!(step, Step::Granted);
    }
    let held_back = login(&engine, &code_at(LONG_AGO)).await;
    let wait = limits.delay_base.as_secs();
    let cooldown = crate::texts::cooldown(Language::En, mfa_proto::Render::Lines, wait);
    assert_eq!(held_back, Step::Denied { text: cooldown });
    clock.advance(limits.delay_base);
    assert_eq!(login(&engine, &code_at(LONG_AGO)).await, Step::Granted);
}
