//! `mfa-answer-flood`: what a non-root user can make the daemon write, for free.
//!
//! ```sh
//! DBUS_SYSTEM_BUS_ADDRESS=… setpriv --reuid=U --regid=U --clear-groups -- \
//!     mfa-answer-flood --user NAME [--answers N] [--tasks C]
//! ```
//!
//! Opens one bus connection and, from C tasks at once, calls `Start(NAME, "sudo", "", "")` and
//! answers every prompt with a wrong 10-digit code until N answers were given (a `Start` that
//! ends without a prompt counts as one). Prints `answers=N seconds=T errors=E`. Exits 1 when
//! the bus cannot be reached.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const DEST: &str = "org.mfa.Mfad1";
const PATH: &str = "/org/mfa/Mfad1";
const IFACE: &str = "org.mfa.Mfad1.Auth";
/// The step kind of a prompt on the wire.
const KIND_PROMPT: u32 = 1;

struct Args {
    user: String,
    answers: usize,
    tasks: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        user: String::new(),
        answers: 1000,
        tasks: 4,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--user" => args.user = value.clone(),
            "--answers" => args.answers = number()?,
            "--tasks" => args.tasks = number()?.max(1),
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if args.user.is_empty() {
        return Err("--user is required".into());
    }
    Ok(args)
}

/// One Start and, when prompted, one wrong answer. Errors are counted by the caller.
async fn one_round(conn: &zbus::Connection, user: &str) -> zbus::Result<()> {
    let reply = conn
        .call_method(
            Some(DEST),
            PATH,
            Some(IFACE),
            "Start",
            &(user, "sudo", "", ""),
        )
        .await?;
    let (id, (kind, _text, _arg)): (String, (u32, String, u32)) = reply.body().deserialize()?;
    if kind == KIND_PROMPT {
        conn.call_method(
            Some(DEST),
            PATH,
            Some(IFACE),
            "Answer",
            &(id.clone(), "0000000000"),
        )
        .await?;
    }
    // Ends the session even when it asks again, so the flood measures answers, not held sessions.
    let _ = conn
        .call_method(Some(DEST), PATH, Some(IFACE), "Cancel", &(id,))
        .await;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("mfa-answer-flood: {e}");
            return ExitCode::from(2);
        }
    };
    let conn = match zbus::Connection::system().await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mfa-answer-flood: cannot reach the system bus: {e}");
            return ExitCode::from(1);
        }
    };
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let user = Arc::new(args.user);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.tasks {
        let (conn, next, errors, user) = (conn.clone(), next.clone(), errors.clone(), user.clone());
        let total = args.answers;
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < total {
                if one_round(&conn, &user).await.is_err() {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    println!(
        "answers={} seconds={:.1} errors={}",
        args.answers,
        started.elapsed().as_secs_f64(),
        errors.load(Ordering::Relaxed)
    );
    ExitCode::SUCCESS
}
