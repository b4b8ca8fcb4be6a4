//! The daemon once it serves: it runs until SIGTERM (or Ctrl-C), and on SIGHUP reloads its
//! configuration through the same loader as start-up. A refused reload keeps the configuration
//! in force and logs every problem; sessions in flight live in the engine and are untouched.

mod restart_only;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use tokio::signal::unix::{SignalKind, signal};

use crate::audit::{Audit, Level};
use crate::auth::Engine;
use crate::startup::{self, Loaded, Mode};

pub use restart_only::keep_running_values;

/// What a reload reads again.
pub struct Reload {
    /// The config file given at start-up.
    pub path: PathBuf,
    /// `$CREDENTIALS_DIRECTORY` as the daemon found it at start-up.
    pub credentials: Option<PathBuf>,
}

/// Serves until SIGTERM or Ctrl-C, reloading on each SIGHUP.
pub async fn until_stopped(engine: &Arc<Engine>, audit: &Arc<Audit>, reload: &Reload) -> ExitCode {
    let (mut term, mut hup) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) {
        (Ok(t), Ok(h)) => (t, h),
        (Err(e), _) | (_, Err(e)) => {
            audit.log(Level::Error, &format!("cannot watch SIGTERM/SIGHUP: {e}"));
            eprintln!("mfad: cannot watch SIGTERM/SIGHUP: {e}");
            return ExitCode::from(1);
        }
    };
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
            _ = hup.recv() => reload_now(engine, audit, reload).await,
        }
    }
    audit.log(Level::Info, "stopping");
    // The next start then knows no login decision can have been lost (store/files/restart_fence.rs).
    if let Err(e) = engine.store().stop_cleanly().await {
        audit.log(
            Level::Error,
            &format!("stopping: cannot sync the state: {e}"),
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// One SIGHUP: load the file again; put it in force, or keep the running one and say why.
pub async fn reload_now(engine: &Arc<Engine>, audit: &Arc<Audit>, reload: &Reload) {
    let began = crate::clock::now();
    let shown = reload.path.display().to_string();
    audit.log(Level::Info, &format!("reload: reading {shown} (SIGHUP)"));
    let path = reload.path.clone();
    let credentials = reload.credentials.clone();
    // Files are read off the workers that answer logins.
    let loaded = tokio::task::spawn_blocking(move || {
        let credentials_dir = credentials.as_deref();
        startup::load(&path, Mode::Start { credentials_dir })
    })
    .await;
    match loaded {
        Ok(Ok(loaded)) => put_in_force(engine, audit, loaded, &shown, began),
        Ok(Err(problems)) => {
            for p in &problems {
                audit.log(Level::Error, &format!("reload refused: {shown}: {p}"));
            }
            audit.log(
                Level::Error,
                &format!(
                    "reload refused: {shown}: {} problem(s); the configuration in force is kept",
                    problems.len()
                ),
            );
        }
        Err(e) => audit.log(
            Level::Error,
            &format!("reload refused: {shown}: the loader failed ({e}); the configuration in force is kept"),
        ),
    }
    on_reload(audit);
}

fn put_in_force(engine: &Engine, audit: &Audit, loaded: Loaded, shown: &str, began: Instant) {
    let running = engine.config();
    let (config, changed) = keep_running_values(&running, &loaded.config);
    for part in changed {
        audit.log(
            Level::Warning,
            &format!("reload: {part} changed; it needs a restart, the running value is kept"),
        );
    }
    engine.replace_config(Arc::new(config));
    let took = crate::clock::now().saturating_duration_since(began);
    audit.log(
        Level::Info,
        &format!("reload: {shown} is in force (took {} µs)", took.as_micros()),
    );
}

/// Everything else done on each SIGHUP, whether or not the new configuration was accepted:
/// the one place to add further "on reload" actions (reopening the audit log for logrotate).
fn on_reload(audit: &Audit) {
    audit.reopen();
}
