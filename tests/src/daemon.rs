//! The real `mfad` on a private bus, with a temporary config and state directory.

use std::fs::{self, OpenOptions};
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use crate::artifacts::build_once;
use crate::bus::{Bus, MFAD_BUS_NAME, dbus_u32_at};
use crate::process::{egid, euid, kill, terminate};
use crate::store_backend::{self, PgStore};
use crate::wait::try_wait_for;

/// How long `start`/`restart` wait for the daemon to own its name.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `target/debug/mfad --config <tmp>/mfad.toml --log-stderr`, connected to a private
/// [`Bus`] through `DBUS_SYSTEM_BUS_ADDRESS`. Its stdout and stderr go to a log file that
/// survives restarts ([`Daemon::log`]). Stopped on drop (drop it before its bus).
pub struct Daemon {
    dir: TempDir,
    child: Option<Child>,
    bus_address: String,
    config: PathBuf,
    state: PathBuf,
    log: PathBuf,
    uid: u32,
    gid: u32,
    /// The mfad binary and extra environment (a test build, e.g. `panic_build`).
    program: PathBuf,
    env: Vec<(String, String)>,
    /// `MFA_TEST_STORE=postgres`: its own database (kept across restarts, dropped last).
    store: Option<PgStore>,
}

/// Escapes a string as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `[daemon] state_dir = …` plus the test's own TOML. If that already has a `[daemon]` table,
/// `state_dir` goes into it instead (TOML forbids the table twice).
fn compose_config(state_dir: &Path, extra: &str) -> String {
    let state_line = format!("state_dir = {}", toml_string(&state_dir.to_string_lossy()));
    let mut out = String::new();
    let mut placed = false;
    for line in extra.lines() {
        out.push_str(line);
        out.push('\n');
        if !placed && line.trim() == "[daemon]" {
            out.push_str(&state_line);
            out.push('\n');
            placed = true;
        }
    }
    if placed {
        out
    } else {
        format!("[daemon]\n{state_line}\n\n{out}")
    }
}

impl Daemon {
    /// Starts the daemon as the test's own uid with `[daemon] state_dir = "<tmp>/state"` plus
    /// `config_toml_extra` (e.g. `"[limits]\nmax_failures = 3\n"`), and waits until it owns
    /// `org.mfa.Mfad1`. Panics with the daemon's log if it does not.
    pub fn start(bus: &Bus, config_toml_extra: &str) -> Daemon {
        Daemon::try_start(bus, config_toml_extra).unwrap_or_else(|e| panic!("{e}"))
    }

    /// As [`Daemon::start`], running another mfad binary (a test build) with extra environment.
    pub fn start_program(
        bus: &Bus,
        config_toml_extra: &str,
        program: &Path,
        env: &[(&str, &str)],
    ) -> Daemon {
        let mut daemon = Daemon::start(bus, config_toml_extra);
        daemon.stop();
        daemon.program = program.to_path_buf();
        daemon.env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        daemon.spawn().unwrap_or_else(|e| panic!("{e}"));
        daemon
    }

    /// As [`Daemon::start`], but running the daemon as `uid`/`gid` (start the bus with
    /// [`Bus::start_with_owner`]`(uid)` so the overlay lets it own the name).
    pub fn start_as(bus: &Bus, config_toml_extra: &str, uid: u32, gid: u32) -> Daemon {
        Daemon::try_start_as(bus, config_toml_extra, uid, gid).unwrap_or_else(|e| panic!("{e}"))
    }

    /// As [`Daemon::start`], returning the failure (with the log) instead of panicking, e.g.
    /// for a config the daemon must refuse.
    pub fn try_start(bus: &Bus, config_toml_extra: &str) -> Result<Daemon, String> {
        Daemon::try_start_as(bus, config_toml_extra, euid(), egid())
    }

    /// As [`Daemon::start_as`], returning the failure instead of panicking.
    pub fn try_start_as(
        bus: &Bus,
        config_toml_extra: &str,
        uid: u32,
        gid: u32,
    ) -> Result<Daemon, String> {
        build_once();
        let dir = tempfile::Builder::new()
            .prefix("mfa-daemon-")
            .tempdir()
            .expect("temp dir for the daemon");
        let state = dir.path().join("state");
        fs::create_dir(&state).expect("state dir");
        fs::set_permissions(&state, fs::Permissions::from_mode(0o700)).expect("chmod state");
        let config = dir.path().join("mfad.toml");
        let store = store_backend::for_daemon(dir.path(), config_toml_extra, uid, gid);
        let mut text = compose_config(&state, config_toml_extra);
        if let Some(store) = &store {
            text.push_str(&store.toml);
        }
        fs::write(&config, text).expect("write config");
        let log = dir.path().join("mfad.log");
        if uid != euid() {
            // The daemon's user must reach its config and own its state.
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
            fs::set_permissions(&config, fs::Permissions::from_mode(0o644)).expect("chmod");
            chown(&state, Some(uid), Some(gid)).expect("chown state");
        }
        let mut daemon = Daemon {
            dir,
            child: None,
            bus_address: bus.address().to_string(),
            config,
            state,
            log,
            uid,
            gid,
            program: build_once().mfad.clone(),
            env: Vec::new(),
            store,
        };
        daemon.spawn()?;
        Ok(daemon)
    }

    fn spawn(&mut self) -> Result<(), String> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("daemon log");
        let mut cmd = Command::new(&self.program);
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd.arg("--config")
            .arg(&self.config)
            .arg("--log-stderr")
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.bus_address)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("RUST_BACKTRACE", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("dup log"))
            .stderr(log);
        if self.uid != euid() {
            // std drops supplementary groups (setgroups(0)) when root sets a uid.
            cmd.uid(self.uid).gid(self.gid);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.program.display()))?;
        let pid = child.id();
        let address = self.bus_address.clone();
        let mut exited = None;
        let owned = try_wait_for(STARTUP_TIMEOUT, || {
            if let Ok(Some(status)) = child.try_wait() {
                exited = Some(status);
                return Some(false);
            }
            (owner_pid(&address) == Some(pid)).then_some(true)
        });
        if owned == Some(true) {
            self.child = Some(child);
            return Ok(());
        }
        let why = match exited {
            Some(status) => format!("mfad exited ({status}) before owning {MFAD_BUS_NAME}"),
            None => {
                kill(&mut child);
                format!("mfad did not own {MFAD_BUS_NAME} within {STARTUP_TIMEOUT:?}")
            }
        };
        Err(format!(
            "{why}\n--- config {} ---\n{}--- log ---\n{}",
            self.config.display(),
            fs::read_to_string(&self.config).unwrap_or_default(),
            self.log()
        ))
    }

    /// Stops the daemon (SIGTERM, SIGKILL after 5 s) and starts it again with the same config
    /// and state; waits until the new process owns the name.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn().unwrap_or_else(|e| panic!("restart: {e}"));
    }

    /// Stops the daemon gracefully (SIGTERM, SIGKILL after 5 s). Idempotent.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&mut child, Duration::from_secs(5));
        }
    }

    /// Kills the daemon with SIGKILL (a crash, for durability tests). Idempotent.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill(&mut child);
        }
    }

    /// True while the process is alive.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    /// The running process's pid.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Everything the daemon wrote on stdout/stderr so far (all runs).
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The daemon's state directory (mode 0700).
    pub fn state_dir(&self) -> &Path {
        &self.state
    }

    /// The config file it runs with (rewrite it and [`Daemon::restart`] to change settings).
    pub fn config_path(&self) -> &Path {
        &self.config
    }

    /// The daemon's scratch directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The uid the daemon runs as (what the module's `daemon_uid=` must say).
    pub fn uid(&self) -> u32 {
        self.uid
    }

    /// Its own database under `MFA_TEST_STORE=postgres` (records: `store_backend.rs`).
    pub(crate) fn pg_store(&self) -> Option<&PgStore> {
        self.store.as_ref()
    }

    /// The address of the bus it is connected to.
    pub fn bus_address(&self) -> &str {
        &self.bus_address
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&mut child, Duration::from_secs(2));
        }
    }
}

fn owner_pid(address: &str) -> Option<u32> {
    dbus_u32_at(address, "GetConnectionUnixProcessID", MFAD_BUS_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_dir_goes_first_without_a_daemon_table() {
        let c = compose_config(Path::new("/tmp/x/state"), "[limits]\nmax_failures = 3\n");
        assert_eq!(
            c,
            "[daemon]\nstate_dir = \"/tmp/x/state\"\n\n[limits]\nmax_failures = 3\n"
        );
    }

    #[test]
    fn state_dir_joins_an_existing_daemon_table() {
        let c = compose_config(Path::new("/s"), "[daemon]\nlanguage = \"nl\"\n[policy]\n");
        assert_eq!(
            c,
            "[daemon]\nstate_dir = \"/s\"\nlanguage = \"nl\"\n[policy]\n"
        );
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000A\"");
    }
}
