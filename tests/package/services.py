"""The system bus, mfad started the way its packaged unit starts it, and a private sshd."""
import os
import shlex
import signal
import socket
import subprocess
import time

from host import run

BUS_SOCKET = "/run/dbus/system_bus_socket"
UNIT = "/lib/systemd/system/mfad.service"


def wait_for(what, ready, timeout=15):
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)


def bus_up():
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(BUS_SOCKET)
        return True
    except OSError:
        return False
    finally:
        s.close()


class SystemBus:
    """The machine's own system bus when one runs (it re-reads its policy), else our own."""

    def __init__(self):
        self.pid = None
        if bus_up():
            run("dbus-send", "--system", "--type=method_call", "--dest=org.freedesktop.DBus",
                "/", "org.freedesktop.DBus.ReloadConfig")
            return
        os.makedirs("/run/dbus", exist_ok=True)
        if os.path.exists(BUS_SOCKET):
            os.remove(BUS_SOCKET)  # stale: nothing answered on it
        if os.path.exists("/run/dbus/pid"):
            os.remove("/run/dbus/pid")
        out = run("dbus-daemon", "--system", "--fork", "--print-pid")
        self.pid = int(out.stdout.split()[0])
        wait_for("the system bus", bus_up)

    def stop(self):
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            for leftover in (BUS_SOCKET, "/run/dbus/pid"):
                if os.path.exists(leftover):
                    os.remove(leftover)


def name_owner_uid():
    out = run("dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus", "/",
              "org.freedesktop.DBus.GetConnectionUnixUser", "string:org.mfa.Mfad1", check=False)
    if out.returncode != 0:
        return None
    return int(out.stdout.split()[-1])


def unit_settings(path=UNIT):
    """The [Service] keys of the installed unit (a repeated key keeps every value)."""
    keys = {}
    for line in open(path):
        line = line.strip()
        if "=" in line and not line.startswith(("#", ";", "[")):
            k, v = line.split("=", 1)
            keys.setdefault(k, []).append(v)
    return keys


class Mfad:
    """mfad as systemd would run it from the packaged unit: its User/Group, UMask,
    ExecStartPre, then ExecStart; ready once it owns its bus name."""

    def __init__(self, log_path):
        unit = unit_settings()
        self.user = unit["User"][0]
        self.group = unit["Group"][0]
        umask = int(unit.get("UMask", ["0022"])[0], 8)
        as_user = ["setpriv", f"--reuid={self.user}", f"--regid={self.group}", "--init-groups",
                   "--no-new-privs"]
        preexec = lambda: os.umask(umask)  # noqa: E731
        for pre in unit.get("ExecStartPre", []):
            out = subprocess.run(as_user + shlex.split(pre), text=True, capture_output=True,
                                 preexec_fn=preexec)
            if out.returncode != 0:
                raise RuntimeError(f"ExecStartPre {pre} failed: {out.stdout}{out.stderr}")
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(as_user + shlex.split(unit["ExecStart"][0]),
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, preexec_fn=preexec)
        wait_for("mfad to own org.mfa.Mfad1",
                 lambda: self.proc.poll() is None and name_owner_uid() is not None
                 or self.proc.poll() is not None)
        if self.proc.poll() is not None:
            raise RuntimeError(f"mfad exited with {self.proc.returncode}: see {log_path}")

    def freeze(self):
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.proc.send_signal(signal.SIGCONT)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    """The real /usr/sbin/sshd on 127.0.0.1 with its own config and host key. Its PAM service
    is "sshd", so it reads /etc/pam.d/sshd like the machine's own sshd."""

    def __init__(self, workdir, name, methods, user_list):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        key = os.path.join(self.dir, "hostkey")
        if not os.path.exists(key):
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
        self.port = free_port()
        config = os.path.join(self.dir, "sshd_config")
        with open(config, "w") as f:
            f.write(
                f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {key}\n"
                f"PidFile {self.dir}/sshd.pid\nUsePAM yes\nKbdInteractiveAuthentication yes\n"
                f"PasswordAuthentication no\nPubkeyAuthentication yes\n"
                f"AuthorizedKeysFile .ssh/authorized_keys\n"
                f"AuthenticationMethods {methods}\nPermitRootLogin no\n"
                f"AllowUsers {' '.join(user_list)}\nStrictModes no\nPrintMotd no\n"
                f"Subsystem sftp internal-sftp\nLogLevel VERBOSE\n")
        os.makedirs("/run/sshd", exist_ok=True)
        self.log = open(os.path.join(self.dir, "sshd.log"), "a")
        self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", config],
                                     stdin=subprocess.DEVNULL, stderr=self.log)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited: see {self.dir}/sshd.log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                return False
        wait_for("sshd to listen", listening)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
