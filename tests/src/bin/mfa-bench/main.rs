//! `mfa-bench`: whole logins through real libpam, side by side for pam_permit, Debian's
//! pam_google_authenticator in its strict mode and pam_mfa (with the real daemon on a private
//! system-like dbus-daemon), at 1, 2 and 4 concurrent driver processes, right and wrong codes.
//! Prints medians, p99, throughput, our ratios to both, the daemon's memory, the threads the
//! module left behind, and every target of issue #12 as met / not met with its distance.
//!
//! ```sh
//! scripts/bench.sh            # or:
//! cargo run --release -p mfa_tests --bin mfa-bench -- [--users N] [--logins M] [--rounds R]
//!     [--levels 1,2,4] [--save FILE] [--baseline FILE]
//! ```
//!
//! Timing never fails the run; it exits 1 only when a right code was refused or a wrong one
//! let in. See BENCHMARKS.md for the method.

mod cells;
mod driver;
mod pool;
mod procfs;
mod protocol;
mod report;
mod run;
mod sms_hang;
mod stacks;
mod targets;
mod totp;
mod users;

use std::path::PathBuf;
use std::process::ExitCode;

use mfa_tests::{Bus, Daemon, build_once, now_unix, oathtool_code};

use crate::run::{Bench, Plan};
use crate::stacks::Stacks;
use crate::targets::Target;

/// Limits as wide as the config allows, so wrong codes never add a delay or lock anyone; the
/// same ±1 step window as GA's WINDOW_SIZE 3.
const DAEMON_CONFIG: &str = "\
[totp]
window = 1

[limits]
max_failures = 100
free_failures = 100
delay_base = 1
delay_max = 1
";
/// GA state files are restored before every login, so a thousand users are plenty.
const MAX_GA_USERS: usize = 1000;
const MIB: f64 = 1024.0;

const USAGE: &str = "\
usage: mfa-bench [--users N] [--logins M] [--rounds R] [--levels 1,2,4] [--save FILE] [--baseline FILE]

  --users N       users enrolled in the daemon (default 2000)
  --logins M      logins per module, level and right/wrong code (default 1000)
  --rounds R      rounds the logins are split into, modules taking turns (default 5)
  --levels L      concurrent driver processes, comma-separated (default 1,2,4)
  --save FILE     write pam_mfa's figures to FILE
  --baseline FILE compare pam_mfa's figures with a saved run (the 10,000-user target)
  --sms-hang N    then TOTP logins while N texts hang at a dead gateway (default 100; 0: skip)

Run as root, built with --release (scripts/bench.sh does both).";

struct Options {
    users: usize,
    plan: Plan,
    save: Option<PathBuf>,
    baseline: Option<PathBuf>,
    sms_hang: usize,
}

fn positive(name: &str, value: &str) -> Result<usize, String> {
    value
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{name}: {value:?} is not a positive number"))
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        users: 2000,
        plan: Plan {
            levels: vec![1, 2, 4],
            logins: 1000,
            rounds: 5,
        },
        save: None,
        baseline: None,
        sms_hang: 100,
    };
    let mut it = args.iter();
    while let Some(name) = it.next() {
        if name == "-h" || name == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{name} needs a value"))?;
        match name.as_str() {
            "--users" => opts.users = positive(name, value)?,
            "--logins" => opts.plan.logins = positive(name, value)?,
            "--rounds" => opts.plan.rounds = positive(name, value)?,
            "--levels" => {
                opts.plan.levels = value
                    .split(',')
                    .map(|v| positive(name, v))
                    .collect::<Result<_, _>>()?
            }
            "--save" => opts.save = Some(PathBuf::from(value)),
            "--baseline" => opts.baseline = Some(PathBuf::from(value)),
            "--sms-hang" => {
                opts.sms_hang = value
                    .parse()
                    .map_err(|_| format!("{name}: {value:?} is not a number"))?
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(opts)
}

fn print_machine(daemon: &Daemon) {
    let profile = if cfg!(debug_assertions) {
        "debug (WARNING: add --release to measure what ships)"
    } else {
        "release"
    };
    let artifacts = build_once();
    println!("profile: {profile}");
    println!("  mfad:   {}", artifacts.mfad.display());
    println!("  module: {}", artifacts.pam_module.display());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "machine: {cpus} CPUs, kernel {}, load average at start {}",
        procfs::kernel(),
        procfs::load_average()
    );
    println!(
        "state: {} ({})",
        daemon.state_dir().display(),
        procfs::filesystem_of(daemon.state_dir())
    );
}

/// VmRSS of the daemon in MiB (NaN once it is gone).
fn rss_mib(pid: u32, field: &str) -> f64 {
    procfs::status_kib(pid, field).map_or(f64::NAN, |k| k as f64 / MIB)
}

/// A round's right-code batch needs that many users free in one TOTP step.
fn check_plan(opts: &Options) -> Result<(), String> {
    let per_round = opts.plan.logins.div_ceil(opts.plan.rounds);
    if per_round > opts.users {
        return Err(format!(
            "a round runs {per_round} right-code logins, each by a different user, but only {} \
             users are enrolled: use more --users, more --rounds or fewer --logins",
            opts.users
        ));
    }
    Ok(())
}

fn run(opts: Options) -> Result<bool, String> {
    check_plan(&opts)?;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err("run as root (the daemon, GA's state files and the bus need it)".into());
    }
    let bus = Bus::start();
    let gateway = sms_hang::dead_gateway();
    let config = if opts.sms_hang > 0 {
        format!("{DAEMON_CONFIG}{}", sms_hang::config(&gateway))
    } else {
        DAEMON_CONFIG.to_string()
    };
    let daemon = Daemon::start(&bus, &config);
    let pid = daemon.pid().ok_or("the daemon has no pid")?;
    print_machine(&daemon);
    let rss_start = rss_mib(pid, "VmRSS");

    let users = users::make_users(opts.users)?;
    let took = users::enroll_all(&bus, &users)?;
    println!(
        "enrolled {} users through Admin.EnrollTotp in {:.1} s",
        users.len(),
        took.as_secs_f64()
    );
    let t = now_unix();
    let ours = totp::hotp(&users[0].secret, t / totp::PERIOD, totp::DIGITS);
    let theirs = oathtool_code(
        &users[0].secret_b32,
        "SHA1",
        totp::DIGITS,
        totp::PERIOD,
        Some(t),
    );
    if ours != theirs {
        return Err(format!(
            "driver's code {ours} differs from oathtool's {theirs}"
        ));
    }
    let phone_users = sms_hang::phone_users(&bus, &daemon, opts.sms_hang)?;
    let rss_idle = rss_mib(pid, "VmRSS");
    let rss_startup_peak = rss_mib(pid, "VmHWM");
    let peak_reset = procfs::reset_peak_rss(pid);
    let ga_users = users.len().min(MAX_GA_USERS);
    let stacks = Stacks::new(&bus, &daemon, &users[..ga_users])?;
    println!(
        "plan: levels {:?} driver processes; per module, level and code {} logins in {} rounds",
        opts.plan.levels, opts.plan.logins, opts.plan.rounds
    );

    let mut rss_levels = Vec::new();
    let mut bench = Bench::new(&stacks, &users, ga_users);
    let cells = bench.measure(&opts.plan, |level| {
        rss_levels.push((level, rss_mib(pid, "VmRSS")));
    })?;
    let sms_target = if phone_users.is_empty() {
        None
    } else {
        // Two batches of distinct users may have to share one TOTP step.
        let n = (opts.plan.logins / 2).min(users.len() / 2).max(1);
        Some(sms_hang::measure(
            &mut bench,
            bus.address(),
            &phone_users,
            &gateway,
            n,
        )?)
    };
    // Without the reset, VmHWM would be the start-up peak.
    let rss_peak = if peak_reset {
        rss_mib(pid, "VmHWM")
    } else {
        f64::NAN
    };
    let daemon_threads = procfs::threads_of(pid).unwrap_or(0);
    println!("load average at the end {}", procfs::load_average());

    let levels = &opts.plan.levels;
    report::print_cells(&cells, levels);
    report::print_ratios(&cells, levels);
    println!();
    println!(
        "daemon RSS: {rss_start:.1} MiB at start (peak so far {rss_startup_peak:.1}), \
         {rss_idle:.1} MiB idle with {} users, peak {rss_peak:.1} MiB under load; \
         {daemon_threads} threads",
        users.len()
    );
    for (level, rss) in &rss_levels {
        println!("  after level {level}: {rss:.1} MiB");
    }
    let correct = report::check_correctness(&cells);

    let mut all = targets::from_cells(&cells, levels);
    all.push(Target::new("daemon RSS idle", rss_idle, 15.0, " MiB"));
    all.push(Target::new(
        "daemon RSS peak under load",
        rss_peak,
        30.0,
        " MiB",
    ));
    all.extend(sms_target);
    let figures = targets::summary(&cells, levels);
    if let Some(path) = &opts.baseline {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("baseline {}: {e}", path.display()))?;
        all.extend(targets::against_baseline(
            &figures,
            &targets::parse_summary(&text),
        ));
    }
    println!();
    println!("targets (reported, never asserted):");
    for target in &all {
        println!("  {}", target.line());
    }
    let met = all.iter().filter(|t| t.met()).count();
    println!("  {met} of {} met", all.len());
    if let Some(path) = &opts.save {
        std::fs::write(path, targets::render_summary(&figures))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        println!("saved pam_mfa's figures to {}", path.display());
    }
    if !correct {
        println!("--- end of the daemon's log ---");
        for line in daemon
            .log()
            .lines()
            .rev()
            .take(20)
            .collect::<Vec<_>>()
            .iter()
            .rev()
        {
            println!("{line}");
        }
    }
    drop(stacks);
    drop(daemon);
    drop(bus);
    Ok(correct)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--driver") {
        return match driver::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("mfa-bench driver: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let opts = match parse_args(&args) {
        Ok(opts) => opts,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("mfa-bench: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("mfa-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Result<Options, String> {
        parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn arguments_set_the_plan_and_bad_ones_are_refused() {
        let o = parse(&["--users", "3", "--levels", "1,4", "--logins", "8"]).unwrap();
        assert_eq!((o.users, o.plan.logins), (3, 8));
        assert_eq!(o.plan.levels, vec![1, 4]);
        assert!(parse(&["--users", "0"]).is_err());
        assert!(parse(&["--levels", "1,x"]).is_err());
        assert!(parse(&["--bogus", "1"]).is_err());
        assert!(parse(&["--logins"]).is_err());
    }

    #[test]
    fn a_plan_needing_more_users_in_one_step_than_enrolled_is_refused() {
        let too_few = parse(&["--users", "10", "--logins", "100", "--rounds", "5"]).unwrap();
        assert!(check_plan(&too_few).unwrap_err().contains("only 10 users"));
        let enough = parse(&["--users", "20", "--logins", "100", "--rounds", "5"]).unwrap();
        assert_eq!(check_plan(&enough), Ok(()));
    }
}
