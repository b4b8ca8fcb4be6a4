//! A private "system-like" dbus-daemon that loads the project's own policy file.

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use crate::artifacts::workspace_root;
use crate::process::{euid, kill};
use crate::wait::try_wait_for;

/// The daemon's well-known name.
pub const MFAD_BUS_NAME: &str = "org.mfa.Mfad1";

/// The project's policy file, copied into the bus's `<includedir>`.
const POLICY_FILE: &str = "org.mfa.Mfad1.conf";

/// A private dbus-daemon with `<type>system</type>`, EXTERNAL auth and the default-deny system
/// policy, whose `system.d/` holds a copy of `systemd/org.mfa.Mfad1.conf` plus a test-only
/// overlay `test-owner.conf` letting the test's daemon uid own `org.mfa.Mfad1` (the real
/// policy allows only user `mfad`). Killed on drop.
pub struct Bus {
    dir: TempDir,
    child: Child,
    address: String,
    owner_uid: u32,
    // Kept open so dbus-daemon never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

fn bus_config(dir: &Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={dir}/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>
  </policy>
  <includedir>{dir}/system.d</includedir>
</busconfig>
"#,
        dir = dir.display()
    )
}

fn test_owner_overlay(uid: u32) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- TEST ONLY, never installed. The project's policy lets only user "mfad" own the name; the
     black-box tests run the daemon as uid {uid}, so this overlay lets that uid own it too.
     Everything else comes from the project's own org.mfa.Mfad1.conf beside this file. -->
<busconfig>
  <policy user="{uid}">
    <allow own="{MFAD_BUS_NAME}"/>
  </policy>
</busconfig>
"#
    )
}

impl Bus {
    /// A bus where the test process's own uid (root in CI) may own `org.mfa.Mfad1`.
    pub fn start() -> Bus {
        Bus::start_with_owner(euid())
    }

    /// A bus where `uid` may own `org.mfa.Mfad1` (for a daemon run as another user).
    pub fn start_with_owner(uid: u32) -> Bus {
        let dir = tempfile::Builder::new()
            .prefix("mfa-bus-")
            .tempdir()
            .expect("temp dir for the bus");
        let include = dir.path().join("system.d");
        fs::create_dir(&include).expect("system.d");
        let policy = workspace_root().join("systemd").join(POLICY_FILE);
        fs::copy(&policy, include.join(POLICY_FILE)).unwrap_or_else(|e| {
            panic!("cannot copy the project's policy {}: {e}", policy.display())
        });
        fs::write(include.join("test-owner.conf"), test_owner_overlay(uid)).expect("overlay");
        let config = dir.path().join("bus.conf");
        fs::write(&config, bus_config(dir.path())).expect("bus.conf");
        let log = fs::File::create(dir.path().join("dbus-daemon.log")).expect("bus log");

        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1", "--nopidfile", "--nosyslog"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("cannot start dbus-daemon (apt-get install dbus-daemon)");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut printed = String::new();
        let read = stdout.read_line(&mut printed);
        let socket = dir.path().join("system_bus_socket");
        let address = format!("unix:path={}", socket.display());
        let mut bus = Bus {
            dir,
            child,
            address,
            owner_uid: uid,
            _stdout: stdout,
        };
        if !matches!(read, Ok(n) if n > 0) || !printed.starts_with("unix:") {
            panic!(
                "dbus-daemon did not print its address ({read:?}, {printed:?}); its log:\n{}",
                bus.log()
            );
        }
        let answered = try_wait_for(Duration::from_secs(10), || {
            UnixStream::connect(&socket).ok()
        });
        if answered.is_none() {
            let _ = bus.child.try_wait();
            panic!(
                "dbus-daemon socket does not answer; its log:\n{}",
                bus.log()
            );
        }
        bus
    }

    /// `unix:path=…/system_bus_socket`
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The bus's scratch directory (config, `system.d/`, socket, log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The directory holding the policy copy and the test overlay.
    pub fn policy_dir(&self) -> PathBuf {
        self.dir.path().join("system.d")
    }

    /// The uid the test overlay lets own `org.mfa.Mfad1`.
    pub fn owner_uid(&self) -> u32 {
        self.owner_uid
    }

    /// What dbus-daemon wrote on stderr (policy warnings, …).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("dbus-daemon.log")).unwrap_or_default()
    }

    /// `busctl --address=<this bus> ARGS…`
    pub fn busctl(&self, args: &[&str]) -> Output {
        busctl_at(&self.address, args)
    }

    /// `busctl call org.mfa.Mfad1 /org/mfa/Mfad1 org.mfa.Mfad1.<interface> <method> <signature> ARGS…`
    /// as the test's uid, on a connection of its own.
    pub fn call_mfad(
        &self,
        interface: &str,
        method: &str,
        signature: &str,
        args: &[&str],
    ) -> Output {
        let interface = format!("org.mfa.Mfad1.{interface}");
        let mut all = vec!["call", MFAD_BUS_NAME, "/org/mfa/Mfad1", &interface, method];
        if !signature.is_empty() {
            all.push(signature);
        }
        all.extend_from_slice(args);
        self.busctl(&all)
    }

    /// Simulates a mis-edited policy that lets everyone call `org.mfa.Mfad1.<interface>`, and
    /// makes the bus load it, so a test can prove the daemon's own checks.
    pub fn allow_everyone_to_call(&self, interface: &str) {
        let overlay = format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><policy context="default"><allow send_destination="org.mfa.Mfad1" send_interface="org.mfa.Mfad1.{interface}"/></policy></busconfig>"#
        );
        fs::write(
            self.policy_dir()
                .join(format!("zz-permissive-{interface}.conf")),
            overlay,
        )
        .expect("write overlay");
        let reload = self.busctl(&[
            "call",
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "ReloadConfig",
        ]);
        assert!(
            reload.status.success(),
            "ReloadConfig: {}",
            String::from_utf8_lossy(&reload.stderr)
        );
    }

    /// Pid of the connection owning `name`, if any.
    pub fn name_owner_pid(&self, name: &str) -> Option<u32> {
        self.dbus_u32("GetConnectionUnixProcessID", name)
    }

    /// Uid of the connection owning `name`, if any.
    pub fn name_owner_uid(&self, name: &str) -> Option<u32> {
        self.dbus_u32("GetConnectionUnixUser", name)
    }

    /// True when some connection owns `name`.
    pub fn name_has_owner(&self, name: &str) -> bool {
        let out = self.busctl(&[
            "call",
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameHasOwner",
            "s",
            name,
        ]);
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "b true"
    }

    fn dbus_u32(&self, method: &str, name: &str) -> Option<u32> {
        dbus_u32_at(&self.address, method, name)
    }
}

/// Calls a `org.freedesktop.DBus` method taking a name and returning a `u` (pid, uid).
pub(crate) fn dbus_u32_at(address: &str, method: &str, name: &str) -> Option<u32> {
    let out = busctl_at(
        address,
        &[
            "call",
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            method,
            "s",
            name,
        ],
    );
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .strip_prefix("u ")?
        .parse()
        .ok()
}

impl Drop for Bus {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

/// `busctl --address=ADDRESS --timeout=10 ARGS…` (stdin closed).
pub fn busctl_at(address: &str, args: &[&str]) -> Output {
    Command::new("busctl")
        .arg(format!("--address={address}"))
        .arg("--timeout=10")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run busctl")
}
