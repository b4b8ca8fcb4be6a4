//! mfad: the MFA daemon on the system bus.

use axum::Router;
use clap::Parser;
use mfad::audit::{Audit, Level};
use mfad::auth::Engine;
use mfad::config::{self, Config};
use mfad::methods::{self, start::Wiring};
use mfad::running::Reload;
use mfad::startup::{self, Loaded, Mode};
use mfad::store::{FileStore, UserStore};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "mfad",
    version,
    about = "Multi-factor authentication daemon (org.mfa.Mfad1 on the system bus)"
)]
struct Args {
    /// Configuration file.
    #[arg(long, default_value = config::DEFAULT_PATH)]
    config: PathBuf,
    /// Check the configuration, print every problem with its key and line, and exit.
    #[arg(long)]
    check_config: bool,
    /// Log to stderr instead of syslog.
    #[arg(long)]
    log_stderr: bool,
}

fn load_config(path: &std::path::Path, mode: Mode) -> Result<Loaded, ExitCode> {
    startup::load(path, mode).map_err(|problems| {
        for p in &problems {
            eprintln!("{}: {p}", path.display());
        }
        eprintln!("{}: {} problem(s)", path.display(), problems.len());
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    // The daemon (not the module) may read its own environment: systemd's LoadCredential=.
    let credentials = std::env::var_os("CREDENTIALS_DIRECTORY").map(PathBuf::from);
    let credentials_dir = credentials.as_deref();
    let mode = if args.check_config {
        Mode::Check { credentials_dir }
    } else {
        Mode::Start { credentials_dir }
    };
    let loaded = match load_config(&args.config, mode) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if args.check_config {
        println!("{}: OK", args.config.display());
        return ExitCode::SUCCESS;
    }
    let config = loaded.config.clone();
    harden_process();
    mfad::heavy::memory::return_big_blocks_to_the_system();
    mfad::heavy::start();
    let audit = Arc::new(Audit::open(args.log_stderr, &config.daemon.state_dir));
    let store = match FileStore::open(&config.daemon.state_dir) {
        Ok(s) => s,
        Err(e) => {
            audit.log(Level::Error, &format!("refusing to start: {e}"));
            eprintln!("mfad: refusing to start: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(since) = store.replay_fence() {
        audit.log(
            Level::Warning,
            &format!(
                "the machine went down while mfad ran (boot id changed, no clean stop): TOTP codes \
                 that could have been used before {since} are refused (about a minute)"
            ),
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mfad: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let reload = Reload {
        path: args.config.clone(),
        credentials,
    };
    runtime.block_on(run(loaded, store, audit, reload))
}

async fn run(loaded: Loaded, store: FileStore, audit: Arc<Audit>, reload: Reload) -> ExitCode {
    let store: Arc<dyn UserStore> = Arc::new(store);
    // Before serving: the audit lines a crash held back in the records.
    mfad::audit::recover::recover(&audit, store.as_ref()).await;
    let config = loaded.config.clone();
    let engine = Arc::new(Engine::new(config.clone(), store, audit.clone()));
    let wiring = Wiring::open(config.clone(), loaded.gateways.clone(), audit.clone());
    let started = match wiring {
        Ok(wiring) => {
            start_web(
                &config,
                methods::start::start_all(&engine, &wiring),
                audit.clone(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = started {
        audit.log(Level::Error, &format!("refusing to start: {e}"));
        eprintln!("mfad: refusing to start: {e}");
        return ExitCode::from(1);
    }
    let enroller = match mfad::enroll::Enroller::new(engine.clone()).await {
        Ok(e) => Arc::new(e),
        Err(e) => {
            audit.log(Level::Error, &format!("refusing to start: {e}"));
            eprintln!("mfad: refusing to start: {e}");
            return ExitCode::from(1);
        }
    };
    let _conn = match mfad::bus::serve(engine.clone(), enroller).await {
        Ok(conn) => conn,
        Err(e) => {
            audit.log(
                Level::Error,
                &format!("cannot serve on the system bus: {e}"),
            );
            eprintln!("mfad: cannot serve on the system bus: {e}");
            return ExitCode::from(1);
        }
    };
    audit.log(Level::Info, "ready on the system bus as org.mfa.Mfad1");
    mfad::running::until_stopped(&engine, &audit, &reload).await
}

/// The HTTP listener for the methods' routes (provider callbacks, the approval page), when
/// `[web] listen` is set.
async fn start_web(config: &Config, routes: Vec<Router>, audit: Arc<Audit>) -> Result<(), String> {
    if let Some(listener) = mfad::web::Listener::bind(&config.web).await? {
        tokio::spawn(listener.serve(mfad::web::router(routes), Some(audit)));
    }
    Ok(())
}

/// Secrets stay out of core dumps and new files are private.
fn harden_process() {
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        libc::umask(0o077);
    }
}
