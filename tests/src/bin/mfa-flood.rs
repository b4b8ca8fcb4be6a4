//! `mfa-flood`: what a hostile local user can do to mfad with nothing but their own account.
//!
//! ```sh
//! DBUS_SYSTEM_BUS_ADDRESS=... mfa-flood USER SECONDS [CONNECTIONS] [SESSIONS]
//! ```
//!
//! Opens CONNECTIONS bus connections (default 50); on each, again and again until SECONDS have
//! passed: SESSIONS `Start(USER)` calls at once (default 20), then all of them answered at once
//! with a 10-digit code (a backup-code check: one Argon2id hash each, or its decoy). Prints one
//! line of counts: replies, refusals (`LimitsExceeded`) and other errors. Errors never stop it.
//! A session whose answer was refused is cancelled (the session table is not what it tests).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

#[zbus::proxy(
    interface = "org.mfa.Mfad1.Auth",
    default_service = "org.mfa.Mfad1",
    default_path = "/org/mfa/Mfad1"
)]
trait Auth {
    fn start(
        &self,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
    ) -> zbus::Result<(String, (u32, String, u32))>;
    fn answer(&self, session: &str, answer: &str) -> zbus::Result<(u32, String, u32)>;
    fn cancel(&self, session: &str) -> zbus::Result<()>;
}

#[derive(Default)]
struct Tally {
    replies: AtomicU64,
    refused: AtomicU64,
    errors: AtomicU64,
}

impl Tally {
    fn count<T>(&self, result: &zbus::Result<T>) {
        let counter = match result {
            Ok(_) => &self.replies,
            Err(zbus::Error::FDO(e)) if matches!(**e, zbus::fdo::Error::LimitsExceeded(_)) => {
                &self.refused
            }
            Err(_) => &self.errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

struct Plan {
    user: String,
    until: Instant,
    sessions: usize,
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number =
        |i: usize, default: u64| args.get(i).map_or(Some(default), |a| a.parse::<u64>().ok());
    let (Some(user), Some(seconds), Some(connections), Some(sessions)) =
        (args.first(), number(1, 10), number(2, 50), number(3, 20))
    else {
        eprintln!("usage: mfa-flood USER SECONDS [CONNECTIONS] [SESSIONS]");
        return std::process::ExitCode::from(2);
    };
    let plan = Arc::new(Plan {
        user: user.clone(),
        until: Instant::now() + Duration::from_secs(seconds),
        sessions: sessions as usize,
    });
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mfa-flood: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let tally = Arc::new(Tally::default());
    runtime.block_on(async {
        let mut floods = JoinSet::new();
        for _ in 0..connections {
            floods.spawn(flood_one_connection(plan.clone(), tally.clone()));
        }
        while floods.join_next().await.is_some() {}
    });
    println!(
        "replies={} refused={} errors={}",
        tally.replies.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed)
    );
    std::process::ExitCode::SUCCESS
}

async fn flood_one_connection(plan: Arc<Plan>, tally: Arc<Tally>) {
    let Ok(conn) = zbus::Connection::system().await else {
        tally.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let Ok(proxy) = AuthProxy::new(&conn).await else {
        tally.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    while Instant::now() < plan.until {
        let mut starts = JoinSet::new();
        for _ in 0..plan.sessions {
            let (proxy, user) = (proxy.clone(), plan.user.clone());
            starts.spawn(async move { proxy.start(&user, "sshd", "", "").await });
        }
        let mut ids = Vec::new();
        while let Some(Ok(started)) = starts.join_next().await {
            tally.count(&started);
            if let Ok((id, _)) = started {
                ids.push(id);
            }
        }
        let mut answers = JoinSet::new();
        for id in ids {
            let proxy = proxy.clone();
            answers.spawn(async move {
                let answered = proxy.answer(&id, "1234567890").await;
                if answered.is_err() {
                    // Refused: close it, so this measures the CPU flood and not the session
                    // table (per-uid session quotas are another point of issue 10).
                    let _ = proxy.cancel(&id).await;
                }
                answered
            });
        }
        while let Some(Ok(answered)) = answers.join_next().await {
            tally.count(&answered);
        }
        // Refused everything: do not spin the CPU the daemon needs (we measure the daemon).
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
