//! Gateways of kind "exec" through real logins (PamStack → pam_mfa.so → bus → mfad → program):
//! each argument and stdin arrive exactly as configured with the placeholders filled in, and
//! nothing in the text is ever interpreted by a shell; a program that hangs is killed (with its
//! children) at the gateway's timeout, the next gateway sends, and other logins are not held up
//! meanwhile.

use mfa_tests::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";

/// A program that records each call in `<dir>/calls/<n>`: one `ARG …` line per argument, then
/// `STDIN …` with everything it read.
fn recorder(dir: &Path) -> PathBuf {
    std::fs::create_dir(dir.join("calls")).expect("calls dir");
    script(
        dir,
        "record.sh",
        &format!(
            "n=$(ls {d}/calls | wc -l)\n\
             {{ for a in \"$@\"; do printf 'ARG %s\\n' \"$a\"; done; printf 'STDIN '; cat; }} > {d}/calls/$n.tmp\n\
             mv {d}/calls/$n.tmp {d}/calls/$n\n",
            d = dir.display()
        ),
    )
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

/// The recorded calls, oldest first.
fn calls(dir: &Path) -> Vec<String> {
    (0..)
        .map_while(|n| std::fs::read_to_string(dir.join(format!("calls/{n}"))).ok())
        .collect()
}

fn last_code(dir: &Path) -> Option<String> {
    let call = calls(dir).pop()?;
    call.lines()
        .find_map(|l| l.strip_prefix("ARG code="))
        .map(str::to_string)
}

fn daemon(bus: &Bus, names: &[&str], gateways: &str, message: &str) -> Daemon {
    let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    Daemon::start(
        bus,
        &format!(
            "[totp]\nissuer = \"testhost\"\n\n[sms]\ngateways = [{}]\nmessage = {message}\n\n{gateways}",
            list.join(", ")
        ),
    )
}

fn recording_gateway(name: &str, program: &Path) -> String {
    format!(
        "[gateways.{name}]\nkind = \"exec\"\nargv = [\"{}\", \"--to\", \"{{phone}}\", \"--text={{message}}\", \"code={{code}}\"]\ntimeout = 5\n\n",
        program.display()
    )
}

fn login_by_text(pam: &PamStack, user: &str, dir: &Path) -> (i32, Transcript) {
    let dir = dir.to_path_buf();
    let conv = ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], move || {
        last_code(&dir).unwrap_or_default()
    });
    pam.login_with(user, conv)
}

#[test]
fn arguments_and_stdin_arrive_literally_and_no_shell_ever_sees_the_text() {
    let bus = Bus::start();
    let dir = tempfile::tempdir().expect("dir");
    let program = recorder(dir.path());
    let pwned = dir.path().join("pwned");
    // Quotes, `;`, `$(…)` and a would-be redirection, all of which a shell would act on.
    let message = format!(
        r#""{{code}} is \"your\" code; $(touch {p}) 'q' > {p}2 | x""#,
        p = pwned.display()
    );
    let daemon = daemon(
        &bus,
        &["modem"],
        &recording_gateway("modem", &program),
        &message,
    );
    let d = dir.path().to_path_buf();
    enroll_phone_via(&bus, "mfa-exec-a", SECRET, NUMBER, || last_code(&d));
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = login_by_text(&pam, "mfa-exec-a", dir.path());
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let all = calls(dir.path());
    assert_eq!(all.len(), 2, "enrollment + login: {all:#?}");
    let code = last_code(dir.path()).expect("code");
    let text = format!(
        r#"{code} is "your" code; $(touch {p}) 'q' > {p}2 | x"#,
        p = pwned.display()
    );
    assert_eq!(
        all[1],
        format!("ARG --to\nARG +31612345678\nARG --text={text}\nARG code={code}\nSTDIN {text}")
    );
    assert!(!pwned.exists(), "nothing ran the text through a shell");
    assert!(!dir.path().join("pwned2").exists());
}

/// `{pid of the script, pid of its child}` written by the hanging program.
fn pids(dir: &Path) -> Option<(i32, i32)> {
    let read = |name: &str| -> Option<i32> {
        std::fs::read_to_string(dir.join(name))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    Some((read("hang.pid")?, read("child.pid")?))
}

/// Alive and not a zombie.
fn running(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(") ").map(|(_, rest)| rest.to_string()))
        .is_some_and(|rest| !rest.starts_with('Z'))
}

#[test]
fn a_hanging_program_is_killed_at_the_timeout_the_next_gateway_sends_and_other_logins_go_on() {
    let bus = Bus::start();
    let dir = tempfile::tempdir().expect("dir");
    let program = recorder(dir.path());
    let d = dir.path().display();
    let hang = script(
        dir.path(),
        "hang.sh",
        &format!("sleep 30 &\necho $! > {d}/child.pid\necho $$ > {d}/hang.pid\nwait\n"),
    );
    let gateways = format!(
        "[gateways.stuck]\nkind = \"exec\"\nargv = [\"{}\"]\ntimeout = 3\n\n{}",
        hang.display(),
        recording_gateway("modem", &program)
    );
    let daemon = daemon(
        &bus,
        &["stuck", "modem"],
        &gateways,
        "\"{code} is your code\"",
    );
    let dd = dir.path().to_path_buf();
    enroll_phone_via(&bus, "mfa-exec-b", SECRET, NUMBER, || last_code(&dd));
    enroll_totp(&bus, "mfa-exec-other", SECRET, 6, "SHA1", 30);
    for name in ["hang.pid", "child.pid"] {
        std::fs::remove_file(dir.path().join(name)).expect("pid file of the enrollment's run");
    }
    let pam = std::sync::Arc::new(PamStack::new(&bus, &daemon));

    let texted = {
        let (pam, dir) = (pam.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            let started = Instant::now();
            let result = login_by_text(&pam, "mfa-exec-b", &dir);
            (result, started.elapsed())
        })
    };
    let (script_pid, child_pid) = wait_for(
        "the stuck program to start",
        Duration::from_secs(20),
        || pids(dir.path()),
    );
    // While the text hangs, someone else logs in with the app.
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, t) = pam.login("mfa-exec-other", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert!(
        !texted.is_finished(),
        "the other login finished while the text was still stuck"
    );

    let ((rc, t), elapsed) = texted.join().expect("login thread");
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert!(
        elapsed < Duration::from_secs(15),
        "bounded by the 3 s timeout: {elapsed:?}"
    );
    assert!(
        daemon.log().contains("falling back from gateway stuck"),
        "{}",
        daemon.log()
    );
    assert!(!running(script_pid), "the program was killed");
    assert!(!running(child_pid), "and its child with it (process group)");
}
