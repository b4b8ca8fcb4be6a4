//! The text-message gateway that accepts and never answers: users with a phone ask for a text
//! (`?`, then `2`) over the bus, each send hangs in the daemon until the gateway's 60-s timeout,
//! and meanwhile the benchmark measures TOTP logins (were they held up by the sends?).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use mfa_tests::{Bus, Daemon, HttpReply, HttpStub, try_enroll_totp, try_wait_for};

use crate::cells::Cell;
use crate::pool::Pool;
use crate::protocol::Kind;
use crate::run::Bench;
use crate::stacks::Module;
use crate::targets::Target;
use crate::totp::{DIGITS, PERIOD};

const DESTINATION: &str = "org.mfa.Mfad1";
const PATH: &str = "/org/mfa/Mfad1";
const INTERFACE: &str = "org.mfa.Mfad1.Auth";
/// How long to wait for every send to reach the gateway.
const SENDS_ARRIVE_WITHIN: Duration = Duration::from_secs(30);
/// Driver processes for the TOTP logins measured beside the hanging sends.
const DRIVERS: usize = 2;

/// A loopback HTTP gateway that reads each request and then holds it (for 60 s).
pub fn dead_gateway() -> HttpStub {
    HttpStub::start(HttpReply::Hang)
}

/// The daemon's `[sms]`, gateway and `[budgets]` tables for texts through `gateway`; the
/// budgets are wide enough for every hanging send (all numbers share one prefix).
pub fn config(gateway: &HttpStub) -> String {
    format!(
        "\n[sms]\ngateways = [\"dead\"]\n\n[gateways.dead]\nkind = \"http\"\nurl = \"{}/send\"\n\
         timeout = 60\n\n[gateways.dead.fields]\nto = \"{{phone}}\"\ntext = \"{{message}}\"\n\n\
         [budgets]\nprefix_hour = 10000\nprefix_day = 10000\ncountry_hour = 10000\n\
         country_day = 10000\ngateway_hour = 10000\ngateway_day = 10000\n",
        gateway.base_url
    )
}

/// `n` users with an app secret (through the Admin interface) and a phone number, added to
/// their stored records (the daemon reads a record afresh at each login; no Admin call sets a
/// phone).
pub fn phone_users(bus: &Bus, daemon: &Daemon, n: usize) -> Result<Vec<String>, String> {
    let users = crate::users::make_users(n)?;
    let mut names = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let name = format!("smsuser{i:03}");
        try_enroll_totp(bus, &name, &user.secret_b32, DIGITS, "SHA1", PERIOD as u32)?;
        let mut record = daemon
            .read_record(&name)
            .ok_or_else(|| format!("{name}: no record after enrolling"))?;
        record.phone = Some(mfad::store::PhoneMethod {
            e164: format!("+316123{i:05}"),
            region: "NL".into(),
            verified_at: 1_764_000_000,
        });
        daemon.write_record(&name, &record);
        names.push(name);
    }
    Ok(names)
}

/// Texts being sent (and hanging) until this is dropped.
pub struct HangingSends {
    stop: Arc<AtomicBool>,
    failed: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HangingSends {
    /// One bus connection per user, each asking for a text; returns once `gateway` holds all
    /// of them, or with how many arrived.
    pub fn start(address: &str, users: &[String], gateway: &HttpStub) -> Result<Self, String> {
        let stop = Arc::new(AtomicBool::new(false));
        let failed = Arc::new(AtomicUsize::new(0));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("tokio runtime: {e}"))?;
        let wanted = users.len();
        let (address, users) = (address.to_string(), users.to_vec());
        let (stop_flag, failures) = (stop.clone(), failed.clone());
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let mut sends = tokio::task::JoinSet::new();
                for user in users {
                    let (address, failures) = (address.clone(), failures.clone());
                    sends.spawn(async move {
                        if let Err(e) = ask_for_a_text(&address, &user).await {
                            eprintln!("sms-hang: {user}: {e}");
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    });
                }
                while !stop_flag.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                sends.abort_all();
            });
        });
        let sends = HangingSends {
            stop,
            failed,
            thread: Some(thread),
        };
        let arrived = try_wait_for(SENDS_ARRIVE_WITHIN, || {
            (sends.failures() > 0 || gateway.received().len() >= wanted).then_some(())
        });
        if arrived.is_none() || sends.failures() > 0 {
            return Err(format!(
                "{} of {wanted} texts reached the gateway ({} asks failed)",
                gateway.received().len(),
                sends.failures()
            ));
        }
        Ok(sends)
    }

    pub fn failures(&self) -> usize {
        self.failed.load(Ordering::Relaxed)
    }
}

impl Drop for HangingSends {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Start a login, open the menu, pick the text message: that answer waits for the gateway.
async fn ask_for_a_text(address: &str, user: &str) -> Result<(), String> {
    let conn = zbus::connection::Builder::address(address)
        .build()
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let reply = conn
        .call_method(
            Some(DESTINATION),
            PATH,
            Some(INTERFACE),
            "Start",
            &(user, "sshd", "", ""),
        )
        .await
        .map_err(|e| format!("Start: {e}"))?;
    let (id, _step): (String, (u32, String, u32)) =
        reply.body().deserialize().map_err(|e| e.to_string())?;
    for answer in ["?", "2"] {
        conn.call_method(
            Some(DESTINATION),
            PATH,
            Some(INTERFACE),
            "Answer",
            &(id.as_str(), answer),
        )
        .await
        .map_err(|e| format!("Answer {answer:?}: {e}"))?;
    }
    Ok(())
}

/// Right-code TOTP logins of `n` users on `DRIVERS` drivers, once quiet and once while every
/// one of `phone_users` has a text hanging at `gateway`; prints both and returns the target.
pub fn measure(
    bench: &mut Bench,
    address: &str,
    phone_users: &[String],
    gateway: &HttpStub,
    n: usize,
) -> Result<Target, String> {
    let mut pool = Pool::spawn(DRIVERS)?;
    bench.batch(&mut pool, Module::Mfa, Kind::Wrong, DRIVERS * 3)?;
    let mut quiet = Cell::new(Module::Mfa, DRIVERS, Kind::Right);
    quiet.add(&bench.batch(&mut pool, Module::Mfa, Kind::Right, n)?);
    let sends = HangingSends::start(address, phone_users, gateway)?;
    let mut hanging = Cell::new(Module::Mfa, DRIVERS, Kind::Right);
    hanging.add(&bench.batch(&mut pool, Module::Mfa, Kind::Right, n)?);
    drop(sends);
    println!();
    println!(
        "TOTP logins on {DRIVERS} drivers, {} texts hanging at a dead gateway:",
        phone_users.len()
    );
    for (label, cell) in [("quiet", &quiet), ("texts hanging", &hanging)] {
        println!(
            "  {label:<14} {} logins, {} ok, median {:.3} ms, p99 {:.3} ms, {:.1} logins/s",
            cell.nanos.len(),
            cell.successes(),
            cell.median_ms(),
            cell.p99_ms(),
            cell.per_second()
        );
    }
    if hanging.successes() != hanging.nanos.len() || quiet.successes() != quiet.nanos.len() {
        return Err("a right code was refused in the text-message phase".into());
    }
    Ok(Target::new(
        format!(
            "TOTP p99 with {} texts hanging / without",
            phone_users.len()
        ),
        hanging.p99_ms() / quiet.p99_ms(),
        1.2,
        "x",
    ))
}
