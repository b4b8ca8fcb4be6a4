#!/usr/bin/python3
"""Issue 6, for real: install the built .debs on this machine, run mfad the way the package
runs it, prove logins through /etc/pam.d with real sshd, sudo, su, scp, sftp and rsync, then
remove and purge the packages and prove nothing is left behind.

usage: run.py WORKDIR DEB...   (as root; scripts/package-test.sh builds the .debs and calls this)
Prints one PASS/FAIL line per check and exits 1 if any failed. Whatever happens, it stops what
it started and restores /etc/pam.d, /var/lib/pam and the users it made.
"""
import glob
import os
import re
import sys
import time

import logins
from host import Host, run
from logins import CODE_PROMPT, Codes
from services import Mfad, Sshd, SystemBus, name_owner_uid

PASSWORD = "Pkg-Test-Pass-4711"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # one per user below, differing in the last chars
USERS = {  # who: (user name, TOTP secret or None)
    "ssh": ("mfa-pkg-ssh", SECRET[:-4] + "AAAA"),
    "key": ("mfa-pkg-key", SECRET[:-4] + "BBBB"),
    "sudo": ("mfa-pkg-sudo", SECRET[:-4] + "CCCC"),
    "su": ("mfa-pkg-su", SECRET[:-4] + "DDDD"),
    "caller": ("mfa-pkg-caller", None),  # runs su; never authenticates itself
}
MODULE_TIMEOUT = 10  # pam_mfa's default timeout= (the profile sets none)
FAIL_DELAY = 2  # pam_mfa's fail delay without nodelay
PAM_DIRS = ["/usr/lib/x86_64-linux-gnu/security", "/lib/x86_64-linux-gnu/security",
            "/usr/lib/security", "/lib/security"]

failures = []


def check(name, ok, detail="", note=""):
    """One PASS/FAIL line; a note (a measured time) is shown either way, the detail on failure."""
    line = f"{'PASS' if ok else 'FAIL'} {name}" + (f" ({note})" if note else "")
    print(line + ("" if ok else f"\n     {detail}"), flush=True)
    if not ok:
        failures.append(name)


ELSEWHERE_STACK = "/etc/pam.d/mfa-package-test-elsewhere"


def wait_until(ready, timeout=15):
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def user(who):
    return USERS[who][0]


def pam_files_naming(module):
    named = []
    for path in sorted(glob.glob("/etc/pam.d/*")):
        for line in open(path, errors="replace"):
            if re.match(rf"^\s*[^#\s].*\b{re.escape(module)}\b", line):
                named.append(path)
                break
    return named


def missing_pam_modules():
    """(file, module) for every module a stack names that is not on disk. Lines whose type
    starts with '-' are skipped: libpam ignores those when the module is missing."""
    missing = []
    for path in sorted(glob.glob("/etc/pam.d/*")):
        for line in open(path, errors="replace"):
            words = line.split()
            if len(words) < 3 or words[0].startswith(("#", "@", "-")):
                continue
            rest = " ".join(words[1:])
            if rest.startswith("["):  # [success=1 default=ignore] control
                rest = rest.split("]", 1)[1]
            else:
                rest = rest.split(None, 1)[1] if " " in rest else ""
            module = rest.split()[0] if rest.split() else ""
            if not module.endswith(".so"):
                continue
            paths = [module] if module.startswith("/") else [f"{d}/{module}" for d in PAM_DIRS]
            if not any(os.path.exists(p) for p in paths):
                missing.append((path, module))
    return missing


def installed(pkg):
    out = run("dpkg-query", "-W", "-f=${Status}", pkg, check=False)
    return out.returncode == 0 and "install ok installed" in out.stdout


def apt(*args):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return run("apt-get", "-y", "-q", *args, check=False, env=env)


def use_sshd_stack(text):
    with open("/etc/pam.d/sshd", "w") as f:
        f.write(text)


def main():
    workdir, debs = sys.argv[1], [os.path.abspath(d) for d in sys.argv[2:]]
    for pkg in ("mfad", "libpam-mfa"):
        if installed(pkg):
            sys.exit(f"{pkg} is already installed here; purge it first (apt-get purge mfad "
                     "libpam-mfa) so that this test does not touch a real setup")
    host = Host()
    started = []
    try:
        scenario(workdir, debs, host, started)
    except Exception as e:  # noqa: BLE001 - any harness error is a failure, after cleanup
        check("harness", False, f"{type(e).__name__}: {e}")
    finally:
        for thing in reversed(started):
            thing.stop()
        for pkg in ("libpam-mfa", "mfad"):
            if installed(pkg) or run("dpkg-query", "-W", pkg, check=False).returncode == 0:
                run("dpkg", "--purge", pkg, check=False,
                    env=dict(os.environ, MFA_REMOVE_ANYWAY="1"))
        host.restore()
    print(f"package test: {'FAILED: ' + ', '.join(failures) if failures else 'all passed'}")
    sys.exit(1 if failures else 0)


def scenario(workdir, debs, host, started):
    # --- install -------------------------------------------------------------------------
    out = apt("install", "--no-install-recommends", *debs)
    check("packages_install_with_apt", out.returncode == 0, out.stdout[-2000:] + out.stderr)
    mfad_user = run("getent", "passwd", "mfad", check=False).stdout
    check("install_creates_the_mfad_system_user",
          mfad_user != "" and int(mfad_user.split(":")[2]) < 1000, mfad_user)
    st = os.stat("/var/lib/mfa") if os.path.isdir("/var/lib/mfa") else None
    check("install_creates_a_private_state_dir_owned_by_mfad",
          st is not None and st.st_mode & 0o777 == 0o700
          and run("stat", "-c", "%U", "/var/lib/mfa").stdout.strip() == "mfad",
          f"{st}")
    files = ["/usr/sbin/mfad", "/usr/bin/mfa", "/usr/lib/x86_64-linux-gnu/security/pam_mfa.so",
             "/usr/share/pam-configs/mfa", "/lib/systemd/system/mfad.service",
             "/usr/share/dbus-1/system.d/org.mfa.Mfad1.conf",
             "/usr/share/dbus-1/system-services/org.mfa.Mfad1.service",
             "/usr/lib/sysusers.d/mfad.conf", "/usr/lib/tmpfiles.d/mfad.conf",
             "/etc/mfa/mfad.toml"]
    check("install_puts_module_daemon_cli_unit_policy_and_config_in_place",
          all(os.path.exists(f) for f in files),
          f"missing: {[f for f in files if not os.path.exists(f)]}")
    pages = ["mfad.8", "mfa.1", "pam_mfa.8", "mfad.toml.5"]
    found = {p: run("man", "-w", p.rsplit(".", 1)[1], p.rsplit(".", 1)[0], check=False)
             .stdout.strip() for p in pages}
    check("install_provides_the_man_pages", all(found.values()), f"{found}")
    completion = {"bash": "/usr/share/bash-completion/completions/mfa",
                  "zsh": "/usr/share/zsh/vendor-completions/_mfa",
                  "fish": "/usr/share/fish/vendor_completions.d/mfa.fish"}
    loaded = run("bash", "--norc", "-c", f"source {completion['bash']} && complete -p mfa",
                 check=False)
    check("install_provides_shell_completion_that_bash_loads",
          all(os.path.exists(f) and os.path.getsize(f) > 0 for f in completion.values())
          and "-F _mfa" in loaded.stdout, f"{loaded.stdout}{loaded.stderr}")
    check("unit_is_enabled_for_boot",
          os.path.islink("/etc/systemd/system/multi-user.target.wants/mfad.service")
          and os.path.islink("/etc/systemd/system/dbus-org.mfa.Mfad1.service"),
          "no enable symlinks under /etc/systemd/system")
    check("init_script_is_registered_for_boot_without_systemd_but_not_started",
          os.access("/etc/init.d/mfad", os.X_OK) and glob.glob("/etc/rc2.d/S*mfad") != []
          and run("pgrep", "-x", "-u", "mfad", "mfad", check=False).returncode != 0,
          f"{glob.glob('/etc/rc2.d/*mfad')}")
    check("pam_profile_is_off_after_install", pam_files_naming("pam_mfa.so") == [],
          f"{pam_files_naming('pam_mfa.so')}")

    # --- the daemon, as the unit runs it -------------------------------------------------
    started.append(SystemBus())
    mfad = Mfad(os.path.join(workdir, "mfad.log"))
    started.append(mfad)
    mfad_uid = int(mfad_user.split(":")[2])
    check("mfad_runs_as_the_unit_says_and_owns_its_bus_name", name_owner_uid() == mfad_uid,
          f"owner uid {name_owner_uid()}, mfad uid {mfad_uid}")

    codes = Codes()
    for who, (name, secret) in USERS.items():
        host.add_user(name, PASSWORD)
        if secret:
            out = run("mfa", "admin", "enroll-totp", name, "--secret", secret, check=False)
            check(f"admin_enrolls_{who}_user", out.returncode == 0, out.stdout + out.stderr)
            codes.enroll(name, secret)
    host.allow_sudo(user("sudo"))

    # --- the admin turns the profile on --------------------------------------------------
    out = run("pam-auth-update", "--enable", "mfa", check=False)
    auth = [line.split() for line in open("/etc/pam.d/common-auth")
            if line.strip() and not line.startswith("#")]
    names = [next((x for x in w if x.endswith(".so")), "") for w in auth]
    check("enabling_the_profile_puts_pam_mfa_after_the_password_block",
          out.returncode == 0 and "pam_mfa.so" in names and "pam_permit.so" in names
          and names.index("pam_mfa.so") > names.index("pam_permit.so")
          and ["required", "pam_mfa.so"] in [w[1:3] for w in auth],
          f"{out.stderr} {auth}")

    # --- sshd: password + code through /etc/pam.d/sshd -> common-auth ----------------------
    ssh_users = [user("ssh"), user("key")]
    sshd = Sshd(workdir, "sshd-password", "keyboard-interactive", ssh_users)
    started.append(sshd)
    prompts, result, _ = logins.ssh_login(sshd.port, user("ssh"), PASSWORD,
                                          codes.good(user("ssh")))
    check("sshd_password_and_code_logs_in", result == f"ok {user('ssh')}"
          and len(prompts) == 2 and "assword" in prompts[0] and prompts[1] == CODE_PROMPT,
          f"{result} {prompts}")
    prompts, result, _ = logins.ssh_login(sshd.port, user("ssh"), PASSWORD,
                                          codes.wrong(user("ssh")))
    check("sshd_password_and_wrong_code_is_refused",
          result == "denied" and CODE_PROMPT in prompts, f"{result} {prompts}")
    prompts, result, _ = logins.ssh_login(sshd.port, user("ssh"), "wrong-password",
                                          codes.wrong(user("ssh")))
    check("sshd_wrong_password_never_reaches_the_code_prompt",
          result == "denied" and CODE_PROMPT not in prompts, f"{result} {prompts}")
    sshd.stop()

    # --- sudo and su through /etc/pam.d/sudo and /etc/pam.d/su --------------------------
    status, text, seen = logins.sudo(user("sudo"), PASSWORD, codes.good(user("sudo")))
    check("sudo_password_and_code_runs_the_command", status == 0 and "root" in text
          and CODE_PROMPT in seen, f"{status} {seen} {text!r}")
    status, text, seen = logins.sudo(user("sudo"), PASSWORD, codes.wrong(user("sudo")))
    check("sudo_password_and_wrong_code_is_refused", status != 0 and "root" not in text
          and CODE_PROMPT in seen, f"{status} {seen} {text!r}")
    status, text, seen = logins.su(user("caller"), user("su"), PASSWORD,
                                   codes.good(user("su")))
    check("su_password_and_code_switches_user", status == 0 and user("su") in text
          and CODE_PROMPT in seen, f"{status} {seen} {text!r}")
    status, text, seen = logins.su(user("caller"), user("su"), PASSWORD,
                                   codes.wrong(user("su")))
    check("su_password_and_wrong_code_is_refused", status != 0 and user("su") not in text
          and CODE_PROMPT in seen, f"{status} {seen} {text!r}")

    # --- sshd: public key + code (README: the sshd stack holds only pam_mfa) --------------
    key = os.path.join(workdir, "client_key")
    if not os.path.exists(key):
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
    home = os.path.expanduser(f"~{user('key')}")
    os.makedirs(f"{home}/.ssh", exist_ok=True)
    with open(f"{home}/.ssh/authorized_keys", "w") as f:
        f.write(open(key + ".pub").read())
    run("chown", "-R", f"{user('key')}:", f"{home}/.ssh")
    sshd_stack = open("/etc/pam.d/sshd").read()
    use_sshd_stack(sshd_stack.replace("@include common-auth", "auth required pam_mfa.so"))
    sshd = Sshd(workdir, "sshd-publickey", "publickey,keyboard-interactive", ssh_users)
    started.append(sshd)
    prompts, result, _ = logins.ssh_login(sshd.port, user("key"), PASSWORD,
                                          codes.good(user("key")), key)
    check("sshd_publickey_and_code_logs_in_without_a_password",
          result == f"ok {user('key')}" and prompts == [CODE_PROMPT], f"{result} {prompts}")
    prompts, result, _ = logins.ssh_login(sshd.port, user("key"), PASSWORD,
                                          codes.wrong(user("key")), key)
    check("sshd_publickey_and_wrong_code_is_refused",
          result == "denied" and prompts == [CODE_PROMPT], f"{result} {prompts}")

    # --- scp, sftp, rsync -----------------------------------------------------------------
    src = os.path.join(workdir, "payload.txt")
    with open(src, "w") as f:
        f.write("copied through pam_mfa\n")
    for tool in ("scp", "sftp", "rsync"):
        dest = f"/tmp/mfa-pkg-{tool}-batch.txt"
        status, text, took = logins.copy_batch(tool, sshd.port, key, user("key"), src, dest)
        check(f"{tool}_in_batch_mode_fails_cleanly_without_copying",
              status == 255 and "Permission denied" in text and not os.path.exists(dest)
              and took < 15, f"status {status} in {took:.1f}s: {text!r}",
              f"exit {status} in {took:.1f}s")
        dest = f"/tmp/mfa-pkg-{tool}-interactive.txt"
        status, text, seen = logins.copy_interactive(tool, sshd.port, key, user("key"), src,
                                                     dest, codes.good(user("key")))
        copied = os.path.exists(dest) and open(dest).read() == open(src).read()
        check(f"{tool}_on_a_terminal_asks_for_the_code_and_copies",
              status == 0 and copied and CODE_PROMPT in seen, f"{status} {seen} {text!r}")
        for d in glob.glob(f"/tmp/mfa-pkg-{tool}-*.txt"):
            os.remove(d)

    # --- fail closed --------------------------------------------------------------------
    # OpenSSH pads a failed attempt (ensure_minimum_time_since doubles a small per-user delay
    # until it passes the time taken), so over ssh a refusal after T seconds may take up to 2T.
    # The module's own share is measured on the same /etc/pam.d/sshd stack with mfa test-login.
    limit = MODULE_TIMEOUT + FAIL_DELAY + 2
    mfad.freeze()
    start = time.monotonic()
    out = run("mfa", "test-login", "--service", "sshd", "--no-account", user("key"),
              input=codes.wrong(user("key")) + "\n", check=False)
    took = time.monotonic() - start
    prompts, result, ssh_took = logins.ssh_login(sshd.port, user("key"), PASSWORD,
                                                 codes.good(user("key")), key)
    mfad.thaw()
    check("pam_stack_with_mfad_hanging_fails_closed_at_the_module_timeout",
          out.returncode != 0 and "PAM_AUTHINFO_UNAVAIL" in out.stdout
          and MODULE_TIMEOUT - 1 <= took <= limit, f"after {took:.1f}s: {out.stdout}",
          f"{took:.1f}s")
    check("sshd_with_mfad_hanging_is_refused_without_a_prompt",
          result == "denied" and prompts == [] and ssh_took <= 2 * limit + 2,
          f"{result} after {ssh_took:.1f}s {prompts}", f"{ssh_took:.1f}s")
    mfad.stop()
    prompts, result, took = logins.ssh_login(sshd.port, user("key"), PASSWORD,
                                             codes.good(user("key")), key)
    check("sshd_with_mfad_stopped_is_refused_at_once",
          result == "denied" and prompts == [] and took <= limit,
          f"{result} after {took:.1f}s {prompts}", f"{took:.1f}s")
    sshd.stop()

    # --- without systemd: the init script (this machine runs no systemd) ------------------------
    mfad_uid = int(run("id", "-u", "mfad").stdout)
    out = run("/etc/init.d/mfad", "start", check=False)
    owned = wait_until(lambda: name_owner_uid() == mfad_uid)
    check("init_script_starts_mfad_as_its_user_owning_the_bus_name",
          out.returncode == 0 and owned, out.stdout + out.stderr)
    status = run("/etc/init.d/mfad", "status", check=False)
    check("init_script_status_says_running", status.returncode == 0, status.stdout)
    out = run("/etc/init.d/mfad", "stop", check=False)
    gone = wait_until(lambda: name_owner_uid() is None)
    status = run("/etc/init.d/mfad", "status", check=False)
    check("init_script_stops_mfad", out.returncode == 0 and gone and status.returncode == 3,
          out.stdout + out.stderr + status.stdout)

    # --- remove -----------------------------------------------------------------------------
    out = apt("remove", "libpam-mfa", "mfad")
    check("remove_is_refused_while_a_hand_edited_stack_names_pam_mfa",
          out.returncode != 0 and installed("libpam-mfa")
          and os.path.exists("/usr/lib/x86_64-linux-gnu/security/pam_mfa.so")
          and "/etc/pam.d/sshd" in out.stdout + out.stderr, out.stdout[-1500:] + out.stderr)
    use_sshd_stack(sshd_stack)  # the admin undoes the edit, as the refusal asks
    # Lines that name pam_mfa.so but would not load this package's module must not block.
    with open(ELSEWHERE_STACK, "w") as f:
        f.write("# auth required pam_mfa.so\n"
                "-auth required pam_mfa.so\n"
                "auth optional /opt/other/security/pam_mfa.so\n"
                "auth optional pam_exec.so /usr/local/bin/audit pam_mfa.so\n")
    out = apt("remove", "libpam-mfa", "mfad")
    check("remove_succeeds_once_no_stack_would_load_the_module",
          out.returncode == 0 and not installed("libpam-mfa") and not installed("mfad"),
          out.stdout[-1500:] + out.stderr)
    os.remove(ELSEWHERE_STACK)
    check("after_remove_no_pam_stack_names_pam_mfa", pam_files_naming("pam_mfa.so") == [],
          f"{pam_files_naming('pam_mfa.so')}")
    check("after_remove_every_module_a_pam_stack_names_exists", missing_pam_modules() == [],
          f"{missing_pam_modules()}")
    check("remove_keeps_state_and_config",
          len(glob.glob("/var/lib/mfa/users/*")) >= 4 and os.path.exists("/etc/mfa/mfad.toml"),
          f"{glob.glob('/var/lib/mfa/**', recursive=True)}")

    sshd = Sshd(workdir, "sshd-after", "keyboard-interactive", ssh_users)
    started.append(sshd)
    prompts, result, _ = logins.ssh_login(sshd.port, user("ssh"), PASSWORD, "000000")
    check("after_remove_sshd_logs_in_with_the_password_alone",
          result == f"ok {user('ssh')}" and CODE_PROMPT not in prompts, f"{result} {prompts}")
    sshd.stop()
    status, text, seen = logins.sudo(user("sudo"), PASSWORD, "000000")
    check("after_remove_sudo_works_with_the_password_alone",
          status == 0 and "root" in text and CODE_PROMPT not in seen, f"{status} {text!r}")
    status, text, seen = logins.su(user("caller"), user("su"), PASSWORD, "000000")
    check("after_remove_su_works_with_the_password_alone",
          status == 0 and user("su") in text and CODE_PROMPT not in seen, f"{status} {text!r}")

    # --- purge ------------------------------------------------------------------------------
    out = apt("purge", "libpam-mfa", "mfad")
    check("purge_deletes_state_config_and_unit_links",
          out.returncode == 0 and not os.path.exists("/var/lib/mfa")
          and not os.path.exists("/etc/mfa")
          and not glob.glob("/etc/systemd/system/**/*mfad*", recursive=True)
          and not glob.glob("/etc/systemd/system/*Mfad1*")
          and not os.path.exists("/etc/init.d/mfad") and not glob.glob("/etc/rc?.d/*mfad"),
          out.stdout[-1500:] + out.stderr)
    diff = run("diff", "-r", host.saved("/etc/pam.d"), "/etc/pam.d", check=False)
    check("purge_leaves_etc_pam_d_as_it_was_before_install", diff.returncode == 0, diff.stdout)


if __name__ == "__main__":
    start = time.monotonic()
    try:
        main()
    finally:
        print(f"package test took {time.monotonic() - start:.0f}s")
