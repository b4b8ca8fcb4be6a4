"""What the package test changes on this machine, and putting it back.

Developers run the test on their own machines: every /etc file it touches is backed up first
and restored at the end, and the users it makes are removed, whatever happened in between.
"""
import os
import shutil
import subprocess
import tempfile

# pam-auth-update keeps its choices in /var/lib/pam; /etc/pam.d holds the stacks.
SAVED_DIRS = ["/etc/pam.d", "/var/lib/pam"]
SUDOERS = "/etc/sudoers.d/mfa-package-test"


def run(*argv, check=True, **kw):
    return subprocess.run(argv, check=check, text=True, capture_output=True, **kw)


class Host:
    def __init__(self):
        self.backup = tempfile.mkdtemp(prefix="mfa-package-test-")
        self.users = []
        # The package makes a system user "mfad" and keeps it on purge; one this test brought
        # goes again.
        self.had_mfad_user = run("getent", "passwd", "mfad", check=False).returncode == 0
        for d in SAVED_DIRS:
            if os.path.isdir(d):
                shutil.copytree(d, self.saved(d), symlinks=True)

    def saved(self, d):
        return os.path.join(self.backup, d.strip("/").replace("/", "_"))

    def restore_dir(self, d):
        """Put d back exactly as it was (files added since go, changed ones come back)."""
        if not os.path.isdir(self.saved(d)):
            return
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.saved(d), d, symlinks=True)

    def add_user(self, name, password):
        remove_user(name)  # a leftover from an interrupted run
        run("useradd", "-m", "-s", "/bin/bash", name)
        run("chpasswd", input=f"{name}:{password}\n")
        self.users.append(name)

    def allow_sudo(self, user):
        with open(SUDOERS, "w") as f:
            f.write(f"{user} ALL=(ALL) ALL\nDefaults:{user} !lecture, timestamp_timeout=0\n")
        os.chmod(SUDOERS, 0o440)

    def restore(self):
        for d in SAVED_DIRS:
            self.restore_dir(d)
        if os.path.exists(SUDOERS):
            os.remove(SUDOERS)
        for u in self.users + ([] if self.had_mfad_user else ["mfad"]):
            remove_user(u)
        shutil.rmtree(self.backup, ignore_errors=True)


def remove_user(name):
    if run("getent", "passwd", name, check=False).returncode == 0:
        # -f: an sshd child of this test may still be winding down for that user.
        run("userdel", "-f", "-r", name, check=False)
    if run("getent", "group", name, check=False).returncode == 0:
        run("groupdel", name, check=False)
