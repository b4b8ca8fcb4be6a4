//! `mfa admin …` and `mfa doctor` speak the caller's language: the daemon's `[daemon] language`
//! (as `Enroll.Status` reports it), overridden by the caller's own `mfa language`, and, when
//! the daemon cannot be asked, the checked config's `[daemon] language`. English otherwise.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use mfa_tests::*;
use tempfile::TempDir;

const SECRET: &str = "JBSWY3DPEHPK3PXP";
const DUTCH: &str = "[daemon]\nlanguage = \"nl\"\n";

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Everything the doctor printed (it exits 1 on FAIL lines, which these trees have).
fn doctor(bus: &Bus, root: &TempDir, config: &Path) -> String {
    let out = mfa(
        bus,
        &[
            "doctor",
            "--root",
            root.path().to_str().expect("utf-8 path"),
            "--config",
            config.to_str().expect("utf-8 path"),
            "--skip-clock",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    output_text(&out)
}

/// A sample `/`: sudo protected as the README says, sshd not at all (one FAIL), alice and root
/// as login users.
fn sample_tree() -> TempDir {
    let root = tempfile::Builder::new()
        .prefix("mfa-lang-root-")
        .tempdir()
        .expect("temp root");
    for dir in ["etc/pam.d", "etc/ssh", "usr/lib/x86_64-linux-gnu/security"] {
        fs::create_dir_all(root.path().join(dir)).expect("mkdir");
    }
    let files = [
        ("usr/lib/x86_64-linux-gnu/security/pam_mfa.so", ""),
        (
            "etc/pam.d/common-auth",
            "auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n\
             auth required pam_permit.so\n",
        ),
        ("etc/pam.d/sshd", "@include common-auth\n"),
        (
            "etc/pam.d/sudo",
            "@include common-auth\nauth required pam_mfa.so\n",
        ),
        ("etc/sudoers", "root ALL=(ALL:ALL) ALL\n"),
        (
            "etc/ssh/sshd_config",
            "UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n\
             AuthenticationMethods keyboard-interactive\n",
        ),
        (
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
        ),
        ("etc/login.defs", "UID_MIN 1000\n"),
    ];
    for (rel, text) in files {
        fs::write(root.path().join(rel), text).expect("write sample file");
    }
    root
}

/// A config file of its own (root-owned, mode 0644, as the daemon would accept it).
fn config_file(dir: &TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("mfad.toml");
    fs::write(&path, text).expect("write config");
    path
}

#[test]
fn admin_commands_speak_dutch_when_the_daemon_is_configured_for_it() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, DUTCH);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);

    let status = ok(mfa(&bus, &["admin", "status", "alice"]));
    assert!(
        status.contains("methoden: totp\n") && status.contains("geblokkeerd: nee\n"),
        "{status}"
    );
    assert!(status.contains("gebruiker: alice\n"), "{status}");
    assert!(
        !status.contains("methods:") && !status.contains("locked:"),
        "{status}"
    );

    let list = ok(mfa(&bus, &["admin", "list"]));
    let header: Vec<&str> = list
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["GEBRUIKER", "METHODEN", "GEBLOKKEERD", "MISLUKT"],
        "{list}"
    );
    let alice: Vec<&str> = list
        .lines()
        .find(|l| l.starts_with("alice "))
        .unwrap_or_else(|| panic!("alice listed:\n{list}"))
        .split_whitespace()
        .collect();
    assert_eq!(alice, ["alice", "totp", "nee", "0"], "{list}");

    let codes = ok(mfa(&bus, &["admin", "backup-codes", "alice"]));
    assert!(
        codes.starts_with(
            "Back-upcodes voor alice. Elke code werkt één keer; bewaar ze op een veilige plek, \
             ze worden niet opnieuw getoond:\n"
        ),
        "{codes}"
    );
    assert_eq!(
        codes.lines().filter(|l| l.starts_with("    ")).count(),
        10,
        "{codes}"
    );

    let unlocked = ok(mfa(&bus, &["admin", "unlock", "alice"]));
    assert_eq!(unlocked, "alice: gedeblokkeerd\n");
}

#[test]
fn admin_commands_speak_english_by_default() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);

    let status = ok(mfa(&bus, &["admin", "status", "alice"]));
    assert!(
        status.contains("methods: totp\n") && status.contains("locked: no\n"),
        "{status}"
    );
    let list = ok(mfa(&bus, &["admin", "list"]));
    let header: Vec<&str> = list
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["USER", "METHODS", "LOCKED", "FAILURES"], "{list}");
    let codes = ok(mfa(&bus, &["admin", "backup-codes", "alice"]));
    assert!(
        codes.starts_with(
            "Backup codes for alice. Each works once; keep them somewhere safe, they are not \
             shown again:\n"
        ),
        "{codes}"
    );
}

#[test]
fn roots_own_language_preference_switches_the_admin_commands() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    assert!(ok(mfa(&bus, &["admin", "list"])).starts_with("USER "));

    ok(mfa(&bus, &["language", "nl"]));
    let list = ok(mfa(&bus, &["admin", "list"]));
    assert!(list.starts_with("GEBRUIKER "), "{list}");
    assert!(
        ok(mfa(&bus, &["admin", "status", "alice"])).contains("methoden: totp\n"),
        "the preference holds for every admin command"
    );

    ok(mfa(&bus, &["language", "en"]));
    assert!(ok(mfa(&bus, &["admin", "list"])).starts_with("USER "));
}

#[test]
fn doctor_speaks_dutch_with_a_dutch_config_and_english_by_default() {
    let bus = Bus::start();
    let root = sample_tree();

    // Dutch config, and the daemon running with it.
    let daemon = Daemon::start(&bus, DUTCH);
    let text = doctor(&bus, &root, daemon.config_path());
    assert!(
        text.contains("[FAIL] sshd: pam_mfa.so staat niet in de auth-stack van "),
        "{text}"
    );
    assert!(
        text.contains("\n       oplossing: vervang in "),
        "the fix is Dutch too:\n{text}"
    );
    assert!(text.contains("[ OK ] daemon: mfad draait ("), "{text}");
    assert!(
        text.contains("[WARN] gebruikers: alice (uid 1000) heeft niets ingesteld"),
        "{text}"
    );
    assert!(text.contains("[ OK ] configuratie: "), "{text}");
    assert!(
        text.contains("mfa doctor: 1 FAIL, 2 WARN, ")
            && text.contains(" — aanmeldingen zouden mislukken of zijn niet beschermd"),
        "{text}"
    );
    assert!(
        !text.contains(" fix: ") && !text.contains("is not in the auth stack"),
        "no English:\n{text}"
    );
    drop(daemon);

    // The default config.
    let daemon = Daemon::start(&bus, "");
    let text = doctor(&bus, &root, daemon.config_path());
    assert!(
        text.contains("[FAIL] sshd: pam_mfa.so is not in the auth stack of "),
        "{text}"
    );
    assert!(text.contains("\n       fix: in "), "{text}");
    assert!(text.contains("[ OK ] daemon: mfad is running ("), "{text}");
    assert!(
        text.contains("[WARN] users: alice (uid 1000) has nothing enrolled"),
        "{text}"
    );
    assert!(text.contains("fix the FAIL lines first"), "{text}");
}

#[test]
fn doctor_without_the_daemon_takes_the_language_of_the_config_it_checks() {
    let bus = Bus::start();
    let root = sample_tree();
    let dir = tempfile::tempdir().expect("temp dir");

    let dutch = config_file(&dir, DUTCH);
    let text = doctor(&bus, &root, &dutch);
    assert!(
        text.contains(
            "[FAIL] daemon: mfad draait niet (org.mfa.Mfad1 heeft geen eigenaar op de bus)"
        ),
        "{text}"
    );
    assert!(
        text.contains("[SKIP] gebruikers: niet gecontroleerd: mfad draait niet"),
        "{text}"
    );
    assert!(
        text.contains("[FAIL] sshd: pam_mfa.so staat niet in de auth-stack"),
        "{text}"
    );

    let english = config_file(&dir, "[daemon]\nlanguage = \"en\"\n");
    let text = doctor(&bus, &root, &english);
    assert!(
        text.contains("[FAIL] daemon: mfad is not running (org.mfa.Mfad1 has no owner on the bus)"),
        "{text}"
    );
    assert!(
        text.contains("[FAIL] sshd: pam_mfa.so is not in the auth stack"),
        "{text}"
    );
}
