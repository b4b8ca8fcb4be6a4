//! The PostgreSQL store against a real server (tests/src/postgres.rs): the contract every
//! `UserStore` passes, and what only a shared database must do: one accepted step across many
//! daemons' connections, secrets sealed at rest, migrations, budgets shared by the fleet, and
//! a database that is down.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mfa_tests::postgres::{self, Server};
use mfad::budgets::{BudgetLimits, BudgetStore, Refusal, SendKey, Window};
use mfad::store::pg::sealing::Keys;
use mfad::store::pg::settings::pg_config;
use mfad::store::pg::{PgStore, Settings};
use mfad::store::{
    Missing, PhoneMethod, PushMethod, StoreError, TotpMethod, UserRecord, UserStore,
};

const KEY_A: &str = "a:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const KEY_B: &str = "b:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
/// "Hello!\xde\xad\xbe\xef" in base32.
const SEED: &str = "JBSWY3DPEHPK3PXP";

fn settings_with(url: &str, keys: &str, timeout: Duration) -> Settings {
    Settings {
        pg: pg_config(url, false, timeout).expect("a local URL"),
        tls: None,
        keys: Arc::new(Keys::parse(keys).expect("keys")),
        timeout,
        pool_size: 4,
    }
}

fn settings(url: &str) -> Settings {
    settings_with(url, KEY_A, Duration::from_secs(3))
}

/// Runs `work` on a runtime of its own (a store's setup, from sync code or another runtime).
fn on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(work)
    })
    .join()
    .expect("setup thread")
}

fn migrate(settings: &Settings) -> Vec<String> {
    let store = PgStore::open(settings, None).expect("store");
    on_own_runtime(async move { store.migrate().await.expect("migrate") })
}

/// A migrated database of the test's own on the shared server.
fn database() -> postgres::Database {
    let db = postgres::shared().database();
    migrate(&settings(&db.url));
    db
}

fn store(_tag: &str) -> Arc<dyn UserStore> {
    Arc::new(PgStore::open(&settings(&database().url), None).expect("store"))
}

mod contract {
    use super::store;
    mfad::user_store_contract!(store);
}

fn enrolled(step: u64) -> UserRecord {
    let mut record = UserRecord::new();
    record.totp = Some(TotpMethod {
        secret: SEED.into(),
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        last_step: step,
        enrolled_at: 1,
        window: None,
    });
    record.phone = Some(PhoneMethod {
        e164: "+31612345678".into(),
        region: "NL".into(),
        verified_at: 1,
    });
    record.push = Some(PushMethod {
        gateway: "n".into(),
        topic: "secret-topic-q8w7e6".into(),
        enrolled_at: 1,
        ..PushMethod::default()
    });
    record
}

async fn put(store: &dyn UserStore, user: &str, record: UserRecord) {
    let txn = store.begin(user).await.expect("begin");
    txn.commit(record).await.expect("commit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_step_is_accepted_once_when_ten_daemons_race_64_ways() {
    let db = database();
    let stores: Vec<Arc<dyn UserStore>> = (0..10)
        .map(|_| Arc::new(PgStore::open(&settings(&db.url), None).expect("store")) as _)
        .collect();
    put(stores[0].as_ref(), "racer", enrolled(100)).await;
    let mut tasks = Vec::new();
    for i in 0..64 {
        let store = stores[i % stores.len()].clone();
        tasks.push(tokio::spawn(async move {
            // What the engine does with a right code for step 101: accept only a later step.
            let mut txn = store.begin("racer").await.ok()?;
            let mut record = txn.record.take()?;
            let totp = record.totp.as_mut()?;
            if totp.last_step >= 101 {
                return None;
            }
            totp.last_step = 101;
            txn.commit(record).await.ok()
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        if task.await.expect("task").is_some() {
            accepted += 1;
        }
    }
    assert_eq!(
        accepted, 1,
        "exactly one of 64 racing logins accepts the step"
    );
    let saved = stores[3].get("racer").await.unwrap().unwrap();
    assert_eq!(saved.totp.unwrap().last_step, 101);
}

#[tokio::test]
async fn a_dump_of_the_database_reveals_no_seed_phone_or_topic() {
    let db = database();
    let store = PgStore::open(&settings(&db.url), None).expect("store");
    put(&store, "alice", enrolled(7)).await;
    let dump = postgres::shared().psql(&db.name, "SELECT * FROM users");
    assert!(
        dump.contains("alice") && dump.contains("sealed:v1:a:"),
        "{dump}"
    );
    for secret in [
        SEED,
        "Hello!",
        "48656c6c6f21",
        "SGVsbG8h",
        "31612345678",
        "secret-topic",
    ] {
        assert!(!dump.contains(secret), "{secret} is in the dump: {dump}");
    }
    let back = store.get("alice").await.unwrap().unwrap();
    assert_eq!(back, enrolled(7), "and every secret opens again");
}

#[tokio::test]
async fn a_sealed_value_moved_to_another_users_row_does_not_open() {
    let db = database();
    let store = PgStore::open(&settings(&db.url), None).expect("store");
    put(&store, "alice", enrolled(1)).await;
    put(&store, "bob", enrolled(1)).await;
    postgres::shared().psql(
        &db.name,
        "UPDATE users SET record = (SELECT record FROM users WHERE name = 'bob') \
         WHERE name = 'alice'",
    );
    let swapped = store.get("alice").await;
    assert!(
        matches!(swapped, Err(StoreError::Corrupt(_))),
        "{swapped:?}"
    );
    assert!(
        store.begin("alice").await.is_err(),
        "and a login cannot use it"
    );
    assert!(store.get("bob").await.unwrap().is_some());
}

#[tokio::test]
async fn rotating_the_key_reseals_every_row_once_and_old_keys_can_then_go() {
    let db = database();
    let old = PgStore::open(&settings(&db.url), None).expect("store");
    put(&old, "alice", enrolled(1)).await;
    put(&old, "bob", enrolled(1)).await;
    let both = format!("{KEY_B}\n{KEY_A}\n");
    let rotated =
        PgStore::open(&settings_with(&db.url, &both, Duration::from_secs(3)), None).expect("store");
    assert_eq!(rotated.rotate_key().await.unwrap(), (2, 2));
    assert_eq!(rotated.rotate_key().await.unwrap(), (2, 0), "idempotent");
    let only_new =
        PgStore::open(&settings_with(&db.url, KEY_B, Duration::from_secs(3)), None).expect("store");
    assert_eq!(only_new.get("alice").await.unwrap(), Some(enrolled(1)));
    assert!(
        old.get("alice").await.is_err(),
        "the old key alone opens nothing now"
    );
}

#[tokio::test]
async fn migrating_twice_changes_nothing_and_an_unmigrated_database_is_refused() {
    let db = postgres::shared().database();
    let s = settings(&db.url);
    let store = PgStore::open(&s, None).expect("store");
    let refused = store.check_schema().await.unwrap_err();
    assert!(refused.contains("mfad --migrate"), "{refused}");
    let first = store.migrate().await.unwrap();
    assert!(
        first.iter().any(|l| l.contains("applied migration 1")),
        "{first:?}"
    );
    assert_eq!(store.migrate().await.unwrap(), Vec::<String>::new());
    store.check_schema().await.expect("current");
}

#[tokio::test]
async fn send_budgets_are_shared_by_every_daemon_of_the_fleet() {
    let db = database();
    let w = |hour| Window { hour, day: 100 };
    let limits = BudgetLimits {
        user: w(2),
        number: w(10),
        prefix: w(10),
        country: w(10),
        gateway: w(10),
        nonroot_user: w(1),
    };
    let a = PgStore::open(&settings(&db.url), None)
        .expect("a")
        .budgets(limits);
    let b = PgStore::open(&settings(&db.url), None)
        .expect("b")
        .budgets(limits);
    let key = SendKey {
        user: "alice",
        number: "+31612345678",
        prefix: "+3161234",
        country: "NL",
        nonroot: false,
    };
    let now = 1_800_000_000;
    assert_eq!(a.reserve(key, now).await, Ok(()));
    assert_eq!(b.reserve(key, now + 1).await, Ok(()));
    assert_eq!(a.reserve(key, now + 2).await, Err(Refusal::User));
    assert_eq!(
        b.reserve(key, now + 3).await,
        Err(Refusal::User),
        "host B sees A's sends"
    );
    assert_eq!(b.reserve(key, now + 3601).await, Ok(()), "the hour passed");
}

#[tokio::test]
async fn a_database_that_is_down_fails_closed_fast_and_is_used_again_when_back() {
    let server = Server::private();
    let db = server.database();
    let s = settings_with(&db.url, KEY_A, Duration::from_secs(2));
    migrate(&s);
    let store: Arc<dyn UserStore> = Arc::new(PgStore::open(&s, None).expect("store"));
    store
        .update("alice", Missing::Create, |_| -> Result<(), ()> { Ok(()) })
        .await
        .unwrap()
        .unwrap();
    server.stop();
    let mut slowest = Duration::ZERO;
    for _ in 0..6 {
        let began = Instant::now();
        let r = store.begin("alice").await;
        assert!(matches!(r, Err(StoreError::Unavailable(_))), "fail closed");
        slowest = slowest.max(began.elapsed());
    }
    assert!(
        slowest < Duration::from_millis(2500),
        "bounded by the timeout: {slowest:?}"
    );
    let began = Instant::now();
    let fast = store.get("alice").await;
    assert!(fast.is_err());
    assert!(
        began.elapsed() < Duration::from_millis(100),
        "the breaker answers at once: {:?}",
        began.elapsed()
    );
    server.start();
    tokio::time::sleep(mfad_breaker_open_for()).await;
    assert!(store.get("alice").await.unwrap().is_some(), "back");
}

fn mfad_breaker_open_for() -> Duration {
    Duration::from_secs(6)
}

#[tokio::test]
async fn records_copied_back_to_files_keep_every_field_and_a_different_one_is_left_alone() {
    use mfad::store::FileStore;
    use mfad::store::copy::copy_users;
    use std::os::unix::fs::PermissionsExt;
    let db = database();
    let pg = PgStore::open(&settings(&db.url), None).expect("store");
    put(&pg, "alice", enrolled(5)).await;
    put(&pg, "bob", enrolled(6)).await;
    let dir = tempfile::tempdir().expect("dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let files = FileStore::open(dir.path()).expect("files");
    let mut other = enrolled(9);
    other.language = Some("nl".into());
    put(&files, "bob", other.clone()).await;
    let (done, different) = copy_users(&pg, &files, false).await.unwrap();
    assert_eq!(
        (done.seen, done.copied, done.same, done.differ),
        (2, 1, 0, 1)
    );
    assert_eq!(different, ["bob"]);
    assert_eq!(files.get("alice").await.unwrap(), Some(enrolled(5)));
    assert_eq!(
        files.get("bob").await.unwrap(),
        Some(other),
        "not overwritten"
    );
    let (again, _) = copy_users(&pg, &files, false).await.unwrap();
    assert_eq!((again.copied, again.same, again.differ), (0, 1, 1));
}

/// A CA and a server certificate it signed for localhost and 127.0.0.1: (ca.pem, cert, key).
fn make_certs(
    dir: &std::path::Path,
    tag: &str,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let p = |n: &str| dir.join(format!("{tag}-{n}"));
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let s = |p: &std::path::Path| p.display().to_string();
    let (ca_key, ca, key, csr, cert, ext) = (
        p("ca.key"),
        p("ca.pem"),
        p("server.key"),
        p("server.csr"),
        p("server.crt"),
        p("ext"),
    );
    std::fs::write(&ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n").unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        &format!("/CN={tag} test CA"),
        "-keyout",
        &s(&ca_key),
        "-out",
        &s(&ca),
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        &s(&key),
        "-out",
        &s(&csr),
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        &s(&csr),
        "-CA",
        &s(&ca),
        "-CAkey",
        &s(&ca_key),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        &s(&ext),
        "-out",
        &s(&cert),
    ]);
    (ca, cert, key)
}

#[tokio::test]
async fn with_a_ca_file_the_connection_is_tls_verified_against_it_and_another_ca_is_refused() {
    use mfad::store::pg::settings::client_config;
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = make_certs(dir.path(), "right");
    let (other_ca, _, _) = make_certs(dir.path(), "other");
    let server = Server::private_tls(&cert, &key);
    let db = server.database();
    let tls_settings = |ca: &std::path::Path| Settings {
        pg: pg_config(
            &server.tcp_url("localhost", &db.name),
            true,
            Duration::from_secs(3),
        )
        .expect("url"),
        tls: Some(client_config(ca).expect("ca")),
        keys: Arc::new(Keys::parse(KEY_A).expect("keys")),
        timeout: Duration::from_secs(3),
        pool_size: 2,
    };
    let good = PgStore::open(&tls_settings(&ca), None).expect("store");
    assert!(!good.migrate().await.expect("migrate over TLS").is_empty());
    put(&good, "alice", enrolled(3)).await;
    assert_eq!(good.get("alice").await.unwrap(), Some(enrolled(3)));
    let wrong = PgStore::open(&tls_settings(&other_ca), None).expect("store");
    let refused = wrong.check_schema().await.unwrap_err();
    assert!(refused.contains("unreachable"), "{refused}");
}
