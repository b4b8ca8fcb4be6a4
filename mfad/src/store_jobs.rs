//! Part of the mfad binary: the one-shot jobs on the stores (`--migrate`, `--rotate-key`,
//! `--check-store`, `--migrate-store`), each run on a runtime of its own before exiting, apart
//! from the daemon's start-up in `main.rs`.

use super::{Args, runtime};
use mfad::config::Config;
use mfad::store::pg::{self, PgStore};
use mfad::store::{FileStore, UserStore};
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreArg {
    Files,
    Postgres,
}

/// `--migrate` / `--rotate-key` / `--check-store`: one job on the shared database, then exit.
pub fn store_command(args: &Args, settings: Option<&pg::Settings>) -> ExitCode {
    let Some(settings) = settings else {
        eprintln!("mfad: [store] kind is \"files\": there is no database to work on");
        return ExitCode::from(1);
    };
    let runtime = match runtime(tokio::runtime::Builder::new_current_thread()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let done = runtime.block_on(async {
        if args.migrate {
            pg::commands::migrate(settings).await
        } else {
            pg::commands::rotate_key(settings)
                .await
                .map(|line| vec![line])
        }
    });
    match done {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mfad: {e}");
            ExitCode::from(1)
        }
    }
}

/// `--migrate-store --from A --to B [--dry-run]` (see `store/copy.rs`).
pub fn migrate_store(args: &Args, config: &Config, settings: Option<&pg::Settings>) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("mfad: {e}");
        ExitCode::from(1)
    };
    let Some(settings) = settings else {
        return fail(&"set [store] kind = \"postgres\" (with url_file and key_file) first");
    };
    if args.from == args.to {
        return fail(&"--from and --to name the same store");
    }
    let files = match FileStore::open(&config.daemon.state_dir) {
        Ok(files) => files,
        Err(e) => return fail(&e),
    };
    if files.replay_fence().is_some() {
        return fail(
            &"the machine went down under mfad, so the record files may miss the last logins: \
              start and stop mfad cleanly once, then migrate",
        );
    }
    let runtime = match runtime(tokio::runtime::Builder::new_current_thread()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let done = runtime.block_on(async {
        let db = PgStore::open(settings, None)?;
        db.check_schema().await?;
        let (from, to): (&dyn UserStore, &dyn UserStore) = match args.from {
            Some(StoreArg::Files) => (&files, &db),
            _ => (&db, &files),
        };
        let copied = mfad::store::copy::copy_users(from, to, args.dry_run).await;
        files.stop_cleanly().await.map_err(|e| e.to_string())?;
        db.stop_cleanly().await.map_err(|e| e.to_string())?;
        copied.map_err(|e| e.to_string())
    });
    match done {
        Ok((copied, different)) => {
            let dry = if args.dry_run {
                " (dry run: nothing written)"
            } else {
                ""
            };
            println!("{copied}{dry}");
            for user in different {
                println!("different in the destination, not copied: {user}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
