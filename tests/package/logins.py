"""Real clients: ssh (paramiko), sudo and su on a pty, scp/sftp/rsync with OpenSSH; and TOTP
codes from oathtool that the daemon will take (each step once per user, within its window)."""
import os
import subprocess
import time

import pexpect

from host import run

HERE = os.path.dirname(os.path.abspath(__file__))
SSH_LOGIN = os.path.join(HERE, "..", "e2e", "ssh_login.py")
CODE_PROMPT = "Verification code: "
PERIOD = 30
WINDOW = 1  # [totp] window in the shipped mfad.toml


class Codes:
    """The daemon refuses a step at or before the last one it accepted for a user, and accepts
    the current step +-WINDOW. Hand out increasing steps per user, waiting for the clock only
    when the window is used up."""

    def __init__(self):
        self.secrets = {}
        self.last = {}

    def enroll(self, user, secret):
        self.secrets[user] = secret
        self.last[user] = 0

    def good(self, user):
        now = time.time()
        current = int(now // PERIOD)
        # The oldest step still accepted, unless it is about to fall out of the window.
        oldest = current - WINDOW if now % PERIOD < PERIOD - 10 else current - WINDOW + 1
        step = max(self.last[user] + 1, oldest)
        if step > current + WINDOW:
            time.sleep((step - WINDOW) * PERIOD - now + 0.5)
        self.last[user] = step
        return oathtool(self.secrets[user], step)

    def wrong(self, user):
        """A well-formed code that no step in or near the window has."""
        current = int(time.time() // PERIOD)
        near = {oathtool(self.secrets[user], s) for s in range(current - 3, current + 4)}
        for candidate in ("000000", "123456", "654321", "111111"):
            if candidate not in near:
                return candidate
        raise RuntimeError("no wrong code found")


def oathtool(secret, step):
    return run("oathtool", "--totp", "-b", "-N", f"@{step * PERIOD}", secret).stdout.strip()


def ssh_login(port, user, password, code, key=None):
    """(prompts seen, "ok <user>" or "denied", seconds taken) through a real SSH client."""
    argv = ["/usr/bin/python3", SSH_LOGIN, str(port), user, password, code]
    if key:
        argv.append(key)
    start = time.monotonic()
    out = run(*argv, check=False)
    took = time.monotonic() - start
    if out.returncode != 0:
        raise RuntimeError(f"ssh client failed: {out.stdout}{out.stderr}")
    lines = out.stdout.splitlines()
    prompts = [line[len("PROMPT "):] for line in lines if line.startswith("PROMPT ")]
    result = next((line[len("RESULT "):] for line in lines if line.startswith("RESULT ")), "")
    return prompts, result, took


def dialog(argv, answers, timeout=60):
    """Run argv on a pty, answer each prompt (regex -> text) when it appears, return
    (exit status, everything printed, the prompts that were answered)."""
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", timeout=timeout)
    seen = []
    patterns = list(answers.keys())
    while True:
        i = child.expect(patterns + [pexpect.EOF])
        if i == len(patterns):
            break
        seen.append(patterns[i])
        child.sendline(answers[patterns[i]])
    child.close()
    status = child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)
    return status, child.before or "", seen


def sudo(user, password, code):
    """As USER on a terminal, sudo (timestamps off) runs id -un as root."""
    answers = {r"\[sudo\] password for [^:]*: ": password, CODE_PROMPT: code}
    return dialog(["runuser", "-u", user, "--", "sudo", "-k", "--", "id", "-un"], answers)


def su(caller, target, password, code):
    """As CALLER (not root) on a terminal, su TARGET -c 'id -un'."""
    answers = {"Password: ": password, CODE_PROMPT: code}
    return dialog(["runuser", "-u", caller, "--", "su", target, "-c", "id -un"], answers)


def ssh_options(port, key, batch):
    opts = ["-o", f"Port={port}", "-o", f"IdentityFile={key}", "-o", "IdentitiesOnly=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "PreferredAuthentications=publickey,keyboard-interactive"]
    if batch:
        opts += ["-o", "BatchMode=yes"]
    return opts


def copy_command(tool, port, key, user, src, dest, batch):
    """scp, sftp or rsync copying SRC to USER@127.0.0.1:DEST."""
    opts = ssh_options(port, key, batch)
    remote = f"{user}@127.0.0.1"
    if tool == "scp":
        return ["scp", *opts, src, f"{remote}:{dest}"]
    if tool == "rsync":
        return ["rsync", "-e", " ".join(["ssh", *opts]), src, f"{remote}:{dest}"]
    # sftp reads its commands from stdin here: -b would force BatchMode on.
    return ["sftp", *opts, remote]


def copy_batch(tool, port, key, user, src, dest):
    """Without a terminal and with BatchMode=yes, as a cron job or script would run it."""
    argv = copy_command(tool, port, key, user, src, dest, batch=True)
    stdin = f"put {src} {dest}\nbye\n" if tool == "sftp" else ""
    start = time.monotonic()
    out = subprocess.run(argv, input=stdin, text=True, capture_output=True, timeout=60,
                         start_new_session=True)  # no controlling terminal to prompt on
    return out.returncode, out.stdout + out.stderr, time.monotonic() - start


def copy_interactive(tool, port, key, user, src, dest, code):
    """On a terminal, a person typing the code when asked."""
    argv = copy_command(tool, port, key, user, src, dest, batch=False)
    if tool == "sftp":
        return sftp_interactive(argv, code, src, dest)
    return dialog(argv, {CODE_PROMPT: code})


def sftp_interactive(argv, code, src, dest):
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", timeout=60)
    try:
        child.expect(CODE_PROMPT)
        child.sendline(code)
        child.expect("sftp> ")
        child.sendline(f"put {src} {dest}")
        child.expect("sftp> ")
        child.sendline("bye")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        child.close(force=True)
        return 1, f"{child.before}\n{type(e).__name__}", [CODE_PROMPT]
    child.close()
    return child.exitstatus, child.before or "", [CODE_PROMPT]
