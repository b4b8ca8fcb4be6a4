//! The exec kind: no shell, literal arguments, standard input, exit statuses, the timeout.

use std::time::Duration;
use tokio::time::Instant;

use super::*;
use crate::gateways::Outcome;

/// A shell script at `dir/name` (mode 0755) with `body`.
fn script(dir: &TempDir, name: &str, body: &str) -> PathBuf {
    dir.file(name, &format!("#!/bin/sh\n{body}\n"), 0o755)
}

fn exec_table(name: &str, argv: &[String], extra: &str) -> String {
    let argv: Vec<String> = argv.iter().map(|a| format!("{a:?}")).collect();
    format!(
        "[gateways.{name}]\nkind = \"exec\"\ntimeout = 1\nargv = [{}]\n{extra}\n",
        argv.join(", ")
    )
}

#[tokio::test]
async fn shell_characters_reach_the_program_literally() {
    let dir = TempDir::new();
    let out = dir.path().join("argv");
    let input = dir.path().join("stdin");
    let prog = script(
        &dir,
        "send",
        &format!(
            "for a in \"$@\"; do printf '%s\\0' \"$a\"; done > '{}'\ncat > '{}'",
            out.display(),
            input.display()
        ),
    );
    let argv = [
        prog.display().to_string(),
        "TEXT".into(),
        "{phone}".into(),
        "-text".into(),
        "{message}".into(),
        "pin={code}".into(),
    ];
    let g = gateways(&exec_table("x", &argv, "stdin = \"to {phone}: {message}\""));
    let message = "a; touch /tmp/pwned $(id) `id` 'q' \"dq\" | & > x";
    let d = g.send_sms(&order(&["x"]), TO, message, CODE).await;
    assert_eq!(d.outcome, Outcome::Accepted { id: String::new() });
    let got = std::fs::read(&out).unwrap_or_default();
    let got: Vec<&[u8]> = got.split(|b| *b == 0).filter(|a| !a.is_empty()).collect();
    let pin = format!("pin={CODE}");
    let want = [
        "TEXT".as_bytes(),
        TO.as_bytes(),
        b"-text",
        message.as_bytes(),
        pin.as_bytes(),
    ];
    assert_eq!(got, want.to_vec());
    let stdin = std::fs::read_to_string(&input).unwrap_or_default();
    assert_eq!(stdin, format!("to {TO}: {message}"));
    assert!(!Path::new("/tmp/pwned").exists());
}

#[tokio::test]
async fn program_gets_an_empty_environment_but_path() {
    let dir = TempDir::new();
    let out = dir.path().join("env");
    let prog = script(&dir, "send", &format!("env > '{}'", out.display()));
    let g = gateways(&exec_table("x", &[prog.display().to_string()], ""));
    let d = g.send_sms(&order(&["x"]), TO, MESSAGE, CODE).await;
    assert!(d.outcome.is_accepted(), "{d:?}");
    let env = std::fs::read_to_string(&out).unwrap_or_default();
    let names: Vec<&str> = env.lines().filter_map(|l| l.split('=').next()).collect();
    assert!(names.contains(&"PATH"), "{env}");
    for absent in ["HOME", "USER", "CREDENTIALS_DIRECTORY", "CARGO"] {
        assert!(!names.contains(&absent), "{absent} in {env}");
    }
}

#[tokio::test]
async fn hanging_program_is_killed_at_the_timeout_with_its_children() {
    let dir = TempDir::new();
    let pids = dir.path().join("pids");
    let prog = script(
        &dir,
        "hang",
        &format!("sleep 30 &\necho $$ $! > '{}'\nwait", pids.display()),
    );
    let g = gateways(&exec_table("x", &[prog.display().to_string()], ""));
    let start = Instant::now();
    let d = g.send_sms(&order(&["x"]), TO, MESSAGE, CODE).await;
    let took = start.elapsed();
    assert!(took < Duration::from_millis(2500), "{took:?}");
    assert!(matches!(d.outcome, Outcome::Transient(_)), "{d:?}");
    assert!(d.outcome.detail().contains("timeout"), "{d:?}");
    let pids = std::fs::read_to_string(&pids).unwrap_or_default();
    let pids: Vec<&str> = pids.split_whitespace().collect();
    assert_eq!(pids.len(), 2, "{pids:?}");
    // The shell is reaped by us; the orphaned sleep is killed and left for init: gone or a
    // zombie, never still sleeping.
    let deadline = Instant::now() + Duration::from_secs(2);
    for pid in pids {
        loop {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = stat
                .rsplit(')')
                .next()
                .and_then(|s| s.split_whitespace().next());
            if matches!(state, None | Some("Z" | "X")) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "process {pid} still runs: {stat}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn exit_status_decides_the_outcome_and_the_fallback() {
    let dir = TempDir::new();
    let ok = script(&dir, "ok", "exit 0");
    for (status, class, falls_back) in [
        (65, "recipient_permanent", false),
        (77, "fraud_or_policy", false),
        (78, "config_or_auth", true),
        (1, "transient", true),
    ] {
        let prog = script(&dir, &format!("exit{status}"), &format!("exit {status}"));
        let text = format!(
            "{}{}",
            exec_table("first", &[prog.display().to_string()], ""),
            exec_table("second", &[ok.display().to_string()], "")
        );
        let d = gateways(&text)
            .send_sms(&order(&["first", "second"]), TO, MESSAGE, CODE)
            .await;
        assert_loggable(&d);
        let mut want = vec![("first", class)];
        if falls_back {
            want.push(("second", "accepted"));
        }
        assert_eq!(tried(&d), want, "exit {status}");
    }
}

#[tokio::test]
async fn program_that_cannot_run_is_a_configuration_error() {
    let dir = TempDir::new();
    let not_executable = dir.file("plain", "#!/bin/sh\nexit 0\n", 0o644);
    for prog in [dir.path().join("missing"), not_executable] {
        let g = gateways(&exec_table("x", &[prog.display().to_string()], ""));
        let d = g.send_sms(&order(&["x"]), TO, MESSAGE, CODE).await;
        assert!(matches!(d.outcome, Outcome::ConfigOrAuth(_)), "{d:?}");
    }
}

#[tokio::test]
async fn program_that_ignores_its_input_still_counts() {
    let dir = TempDir::new();
    let prog = script(&dir, "deaf", "exec 0<&-\nexit 0");
    let big = "x".repeat(1 << 20);
    let g = gateways(&exec_table("x", &[prog.display().to_string()], ""));
    let d = g.send_sms(&order(&["x"]), TO, &big, CODE).await;
    assert!(d.outcome.is_accepted(), "{d:?}");
}
