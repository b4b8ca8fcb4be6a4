//! The README's demo: a real login with a second factor on a private bus, touching nothing in
//! /etc. Starts a private system-like dbus-daemon with the project's policy, the real mfad with
//! a temporary config and state, enrolls user `demo` (QR code + URI for a phone app), and runs
//! `mfa test-login` through the real pam_mfa.so. With `--auto` (or no terminal) the code is
//! computed by oathtool instead of typed.

use mfa_tests::{Bus, Daemon, PamStack, mfa, mfa_command, oathtool_code, output_text};
use std::io::{IsTerminal, Write};
use std::process::{ExitCode, Stdio};

const USER: &str = "demo";

fn main() -> ExitCode {
    let auto = std::env::args().any(|a| a == "--auto") || !std::io::stdin().is_terminal();
    println!("== Starting a private system bus (with systemd/org.mfa.Mfad1.conf) and mfad …");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[totp]\nissuer = \"mfa-demo\"\n");
    println!("   bus: {}", bus.address());

    println!("\n== mfa admin enroll-totp {USER}");
    let enrolled = mfa(&bus, &["admin", "enroll-totp", USER]);
    if !enrolled.status.success() {
        eprintln!("enrollment failed:\n{}", output_text(&enrolled));
        return ExitCode::from(1);
    }
    let shown = String::from_utf8_lossy(&enrolled.stdout).into_owned();
    println!("{shown}");
    let Some(secret) = shown
        .split("secret=")
        .nth(1)
        .and_then(|s| s.split('&').next())
    else {
        eprintln!("no secret in the enrollment output");
        return ExitCode::from(1);
    };

    let pam = PamStack::new(&bus, &daemon);
    println!(
        "== PAM stack {}/{}:\n{}",
        pam.dir().display(),
        pam.service(),
        pam.text()
    );
    let dir = pam.dir().to_string_lossy().into_owned();
    let mut login = mfa_command();
    login.env("DBUS_SYSTEM_BUS_ADDRESS", bus.address()).args([
        "test-login",
        "--pam-dir",
        &dir,
        "--service",
        pam.service(),
        USER,
    ]);
    println!("== mfa test-login --service {} {USER}", pam.service());
    let status = if auto {
        let code = oathtool_code(secret, "SHA1", 6, 30, None);
        println!("   (no terminal or --auto: answering with the code oathtool computes: {code})");
        login.stdin(Stdio::piped()).spawn().and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                writeln!(stdin, "{code}")?;
            }
            child.wait()
        })
    } else {
        println!("   Add the key to your authenticator app, then type the code it shows.");
        login.status()
    };
    let ok = matches!(status, Ok(s) if s.success());
    println!("\n== mfad's decisions:");
    for line in daemon.log().lines().filter(|l| l.contains("decision")) {
        println!("   {line}");
    }
    println!(
        "\n{}",
        if ok {
            "Demo login succeeded."
        } else {
            "Demo login failed (see above)."
        }
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
