//! mfad: the MFA daemon on the system bus.

use axum::Router;
use clap::Parser;
use mfad::audit::{Audit, Level};
use mfad::auth::Engine;
use mfad::budgets::{BudgetLimits, BudgetStore};
use mfad::config::{self, Config};
use mfad::methods::{self, start::Wiring};
use mfad::running::Reload;
use mfad::startup::{self, Loaded, Mode};
use mfad::store::pg::{self, PgStore};
use mfad::store::{FileStore, UserStore};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use store_jobs::{StoreArg, migrate_store, store_command};

mod store_jobs;

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
    /// `[store] kind = "postgres"`: create or upgrade the database schema, print what was
    /// done, and exit (the daemon never does this itself).
    #[arg(long, conflicts_with_all = ["check_config", "rotate_key"])]
    migrate: bool,
    /// `[store] kind = "postgres"`: re-seal every stored secret with the current key (the
    /// first line of `key_file`), print the counts, and exit.
    #[arg(long, conflicts_with_all = ["check_config", "migrate"])]
    rotate_key: bool,
    /// `[store] kind = "postgres"`: check that the database answers and its schema is current
    /// (what `mfa doctor` asks), print the verdict, and exit.
    #[arg(long, conflicts_with_all = ["check_config", "migrate", "rotate_key"])]
    check_store: bool,
    /// Copy every user record from one store to the other (`--from files --to postgres`, or
    /// back), skipping users the destination already has; print the counts and exit. Stop
    /// mfad on this host first. Needs `[store] kind = "postgres"` with its keys.
    #[arg(
        long,
        requires_all = ["from", "to"],
        conflicts_with_all = ["check_config", "migrate", "rotate_key", "check_store"]
    )]
    migrate_store: bool,
    /// With --migrate-store: the store read ("files" or "postgres").
    #[arg(long, value_name = "KIND", requires = "migrate_store")]
    from: Option<StoreArg>,
    /// With --migrate-store: the store written ("files" or "postgres").
    #[arg(long, value_name = "KIND", requires = "migrate_store")]
    to: Option<StoreArg>,
    /// With --migrate-store: compare and count, write nothing.
    #[arg(long, requires = "migrate_store")]
    dry_run: bool,
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
    // The shared store's settings (URL, TLS rule, keys): checked by --check-config too.
    let pg = match pg_settings(&args.config, &loaded, credentials_dir) {
        Ok(pg) => pg,
        Err(code) => return code,
    };
    if args.check_config {
        println!("{}: OK", args.config.display());
        return ExitCode::SUCCESS;
    }
    if args.migrate || args.rotate_key || args.check_store {
        return store_command(&args, pg.as_ref());
    }
    if args.migrate_store {
        return migrate_store(&args, &loaded.config, pg.as_ref());
    }
    let config = loaded.config.clone();
    harden_process();
    mfad::heavy::memory::return_big_blocks_to_the_system();
    mfad::heavy::start();
    let audit = Arc::new(Audit::open(args.log_stderr, &config.daemon.state_dir));
    let store = match open_store(&config, pg.as_ref(), &audit) {
        Ok(s) => s,
        Err(e) => {
            audit.log(Level::Error, &format!("refusing to start: {e}"));
            eprintln!("mfad: refusing to start: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(since) = store.user_store().replay_fence() {
        audit.log(
            Level::Warning,
            &format!(
                "the machine went down while mfad ran (boot id changed, no clean stop): TOTP codes \
                 that could have been used before {since} are refused (about a minute)"
            ),
        );
    }
    let runtime = match runtime(tokio::runtime::Builder::new_multi_thread()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let reload = Reload {
        path: args.config.clone(),
        credentials,
    };
    runtime.block_on(run(loaded, store, audit, reload))
}

async fn run(loaded: Loaded, store: Opened, audit: Arc<Audit>, reload: Reload) -> ExitCode {
    if let Opened::Postgres(pg) = &store
        && let Err(e) = pg.check_schema().await
    {
        audit.log(Level::Error, &format!("refusing to start: {e}"));
        eprintln!("mfad: refusing to start: {e}");
        return ExitCode::from(1);
    }
    // A shared store keeps the send budgets too, so they hold fleet-wide.
    let shared_budgets: Option<Box<SharedBudgets>> = match &store {
        Opened::Postgres(pg) => {
            let pg = pg.clone();
            Some(Box::new(move |limits| Arc::new(pg.budgets(limits)) as _))
        }
        Opened::Files(_) => None,
    };
    let store = store.user_store();
    // Before serving: the audit lines a crash held back in the records.
    mfad::store::audit_recovery::recover(&audit, store.as_ref()).await;
    let config = loaded.config.clone();
    let engine = Arc::new(Engine::new(config.clone(), store, audit.clone()));
    let wiring = Wiring::open(
        config.clone(),
        loaded.gateways.clone(),
        audit.clone(),
        shared_budgets.as_deref(),
    );
    let started = match wiring {
        Ok(wiring) => {
            start_web(
                &config,
                methods::start::start_all(engine.context(), &wiring),
                audit.clone(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    let started = match started {
        Ok(()) => start_metrics(&config, engine.clone()).await,
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

/// The Prometheus endpoint, when `[metrics] listen` is set; it reads the open sessions at
/// each scrape.
async fn start_metrics(config: &Config, engine: Arc<Engine>) -> Result<(), String> {
    if let Some(endpoint) = mfad::metrics::bind(&config.metrics).await? {
        let at = config.metrics.listen.as_ref().map(ToString::to_string);
        let note = format!("metrics at {}", at.unwrap_or_default());
        engine.audit().log(Level::Info, &note);
        tokio::spawn(endpoint.serve(Arc::new(move || engine.open_sessions())));
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

type SharedBudgets = dyn Fn(BudgetLimits) -> Arc<dyn BudgetStore>;

/// The store the daemon runs on, chosen by `[store] kind`.
enum Opened {
    Files(Arc<FileStore>),
    Postgres(Arc<PgStore>),
}

impl Opened {
    fn user_store(&self) -> Arc<dyn UserStore> {
        match self {
            Opened::Files(s) => s.clone(),
            Opened::Postgres(s) => s.clone(),
        }
    }
}

fn open_store(
    config: &Config,
    pg: Option<&pg::Settings>,
    audit: &Arc<Audit>,
) -> Result<Opened, String> {
    match pg {
        Some(settings) => {
            // The records live in the database, but the audit record (and whatever else the
            // daemon keeps on the host) stays in the state directory: one others can write is
            // refused on either store, never run with the audit record off.
            mfad::private_files::check_private_dir(&config.daemon.state_dir)?;
            Ok(Opened::Postgres(Arc::new(PgStore::open(
                settings,
                Some(audit.clone()),
            )?)))
        }
        None => Ok(Opened::Files(Arc::new(FileStore::open(
            &config.daemon.state_dir,
        )?))),
    }
}

/// `[store]`'s database settings when it is postgres (its URL and keys read and checked).
fn pg_settings(
    path: &std::path::Path,
    loaded: &Loaded,
    credentials_dir: Option<&std::path::Path>,
) -> Result<Option<pg::Settings>, ExitCode> {
    if loaded.config.store.kind != mfad::config::StoreKind::Postgres {
        return Ok(None);
    }
    let text = match mfad::config::Config::load_with_text(path) {
        Ok((_, text)) => text,
        Err(problems) => return Err(report(path, &problems)),
    };
    pg::Settings::from_config(&loaded.config.store, credentials_dir, &text)
        .map_err(|problems| report(path, &problems))
}

fn report(path: &std::path::Path, problems: &[config::Problem]) -> ExitCode {
    for p in problems {
        eprintln!("{}: {p}", path.display());
    }
    eprintln!("{}: {} problem(s)", path.display(), problems.len());
    ExitCode::from(1)
}

/// The tokio runtime with every driver on, or the exit code after saying why it could not start.
fn runtime(mut builder: tokio::runtime::Builder) -> Result<tokio::runtime::Runtime, ExitCode> {
    builder.enable_all().build().map_err(|e| {
        eprintln!("mfad: cannot start the runtime: {e}");
        ExitCode::from(1)
    })
}
