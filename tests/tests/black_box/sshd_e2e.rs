//! End to end as root: a real sshd on 127.0.0.1 (its PAM stack from a private directory through
//! pam_wrapper: pam_unix for the password, then the real pam_mfa.so), the real daemon on a private
//! bus, and a real SSH client (paramiko) answering keyboard-interactive prompts.

use mfa_tests::*;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const USER: &str = "mfa-e2e";
const PASSWORD: &str = "E2e-Pass-4711";
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The test user with a known password (created once; tests only read it afterwards).
fn ensure_user() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let exists = Command::new("id")
            .arg("-u")
            .arg(USER)
            .output()
            .is_ok_and(|o| o.status.success());
        if !exists {
            let ok = Command::new("useradd")
                .args(["-m", "-s", "/bin/sh", USER])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "useradd {USER}");
        }
        let mut chpasswd = Command::new("chpasswd")
            .stdin(Stdio::piped())
            .spawn()
            .expect("chpasswd");
        if let Some(mut stdin) = chpasswd.stdin.take() {
            use std::io::Write;
            writeln!(stdin, "{USER}:{PASSWORD}").expect("write chpasswd");
        }
        assert!(chpasswd.wait().is_ok_and(|s| s.success()), "chpasswd");
    });
}

struct Sshd {
    child: Child,
    port: u16,
    _pam: PamStack,
    // One sshd at a time: a free port picked by one test could otherwise be taken by another
    // test's sshd, and the client would talk to the wrong daemon.
    _serial: std::sync::MutexGuard<'static, ()>,
}

static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start_sshd(bus: &Bus, daemon: &Daemon) -> Sshd {
    let serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    ensure_user();
    let module = &build_once().pam_module;
    let pam = PamStack::from_text(
        "sshd",
        &format!(
            "auth requisite pam_unix.so\n\
             auth required {} bus={} daemon_uid={} nodelay\n\
             account required pam_unix.so\n\
             session required pam_permit.so\n",
            module.display(),
            bus.address(),
            daemon.uid()
        ),
    );
    pam.write_file(
        "other",
        "auth required pam_deny.so\naccount required pam_deny.so\n",
    );
    let dir = pam.dir();
    let key = dir.join("hostkey");
    let keygen = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status();
    assert!(keygen.is_ok_and(|s| s.success()), "ssh-keygen");
    let port = free_port();
    let config = pam.write_file(
        "sshd_config",
        &format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nUsePAM yes\n\
             KbdInteractiveAuthentication yes\nPasswordAuthentication no\nPubkeyAuthentication no\n\
             AuthenticationMethods keyboard-interactive\nPermitRootLogin no\nAllowUsers {USER}\n\
             StrictModes no\nPrintMotd no\nLogLevel VERBOSE\n",
            key.display(),
            dir.join("sshd.pid").display()
        ),
    );
    std::fs::create_dir_all("/run/sshd").expect("privilege separation dir");
    let log = std::fs::File::create(dir.join("sshd.log")).expect("sshd log");
    let child = Command::new("/usr/sbin/sshd")
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .env("LD_PRELOAD", "libpam_wrapper.so")
        .env("PAM_WRAPPER", "1")
        .env("PAM_WRAPPER_SERVICE_DIR", dir)
        .stdin(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start sshd");
    let mut sshd = Sshd {
        child,
        port,
        _pam: pam,
        _serial: serial,
    };
    wait_for("sshd to listen", Duration::from_secs(10), || {
        assert!(
            sshd.child.try_wait().is_ok_and(|s| s.is_none()),
            "sshd exited (see sshd.log)"
        );
        TcpStream::connect(("127.0.0.1", port)).ok()
    });
    sshd
}

/// (prompts seen, result line) from the real SSH client.
fn ssh_login(port: u16, password: &str, code: &str) -> (Vec<String>, String) {
    let script = workspace_root().join("tests/e2e/ssh_login.py");
    let out = Command::new("/usr/bin/python3")
        .arg(Path::new(&script))
        .args([&port.to_string(), USER, password, code])
        .output()
        .expect("python3 paramiko client");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "client failed: {}", output_text(&out));
    let prompts = text
        .lines()
        .filter_map(|l| l.strip_prefix("PROMPT "))
        .map(str::to_string)
        .collect();
    let result = text
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_default()
        .to_string();
    (prompts, result)
}

fn setup() -> (Bus, Daemon, Sshd) {
    assert!(
        unsafe { libc::geteuid() } == 0,
        "the sshd end-to-end tests run as root"
    );
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, USER, SECRET, 6, "SHA1", 30);
    let sshd = start_sshd(&bus, &daemon);
    (bus, daemon, sshd)
}

#[test]
fn ssh_login_with_password_and_code_succeeds() {
    let (_bus, daemon, sshd) = setup();
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (prompts, result) = ssh_login(sshd.port, PASSWORD, &code);
    assert_eq!(
        result,
        format!("ok {USER}"),
        "prompts {prompts:?}\n{}",
        daemon.log()
    );
    assert_eq!(prompts.len(), 2, "{prompts:?}");
    assert!(prompts[0].contains("Password"), "{prompts:?}");
    assert_eq!(prompts[1], "Verification code: ");
    assert!(
        daemon
            .log()
            .contains(&format!("user={USER} service=sshd rhost=127.0.0.1")),
        "{}",
        daemon.log()
    );
}

#[test]
fn ssh_login_with_a_wrong_code_is_refused() {
    let (_bus, daemon, sshd) = setup();
    let (prompts, result) = ssh_login(sshd.port, PASSWORD, &wrong_code(SECRET, "SHA1", 6, 30));
    assert_eq!(result, "denied", "prompts {prompts:?}\n{}", daemon.log());
    assert!(
        prompts.iter().any(|p| p == "Verification code: "),
        "{prompts:?}"
    );
    assert!(daemon.log().contains("outcome=denied-wrong-code"));
}

#[test]
fn ssh_login_with_a_wrong_password_never_reaches_the_code_prompt() {
    let (_bus, daemon, sshd) = setup();
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (prompts, result) = ssh_login(sshd.port, "not-the-password", &code);
    assert_eq!(result, "denied");
    assert!(
        !prompts.iter().any(|p| p.contains("Verification code")),
        "{prompts:?}"
    );
    assert!(
        !daemon.log().contains("decision"),
        "the daemon was never asked: {}",
        daemon.log()
    );
}

/// (prompts seen, result line) from the real SSH client that types `?` at the code prompt, picks
/// the text-message entry and answers with the code `stub` received.
fn ssh_login_by_text(port: u16, stub: &TwilioStub) -> (Vec<String>, String) {
    let script = workspace_root().join("tests/e2e/ssh_login_menu.py");
    let code_url = format!("{}/_stub/last-code", stub.base_url);
    let out = Command::new("/usr/bin/python3")
        .arg(Path::new(&script))
        .args([&port.to_string(), USER, PASSWORD, &code_url])
        .output()
        .expect("python3 paramiko client");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "client failed: {}", output_text(&out));
    let prompts = text
        .lines()
        .filter_map(|l| l.strip_prefix("PROMPT "))
        .map(|p| p.replace("\\n", "\n"))
        .collect();
    let result = text
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_default()
        .to_string();
    (prompts, result)
}

#[test]
fn ssh_login_with_a_texted_code_chosen_from_the_menu() {
    assert!(unsafe { libc::geteuid() } == 0, "runs as root");
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let daemon = Daemon::start(
        &bus,
        &format!(
            "[sms]\ngateways = [\"tw\"]\n\n{}",
            secrets.gateway("tw", &stub)
        ),
    );
    ensure_user();
    enroll_phone(&bus, &[&stub], USER, SECRET, "+31 6 12345678");
    let sshd = start_sshd(&bus, &daemon);
    let (prompts, result) = ssh_login_by_text(sshd.port, &stub);
    assert_eq!(
        result,
        format!("ok {USER}"),
        "prompts {prompts:?}\n{}",
        daemon.log()
    );
    assert_eq!(prompts.len(), 4, "{prompts:?}");
    assert!(prompts[0].contains("Password"), "{prompts:?}");
    assert!(prompts[1].contains("? for other options"), "{prompts:?}");
    assert!(
        prompts[2].contains("Code from the authenticator app")
            && prompts[2].contains("Text message to +31"),
        "{prompts:?}"
    );
    assert!(
        prompts.iter().all(|p| !p.contains("12345678")),
        "the number is only ever shown masked: {prompts:?}"
    );
    assert!(
        prompts[3].starts_with("Code from the text message to +31"),
        "{prompts:?}"
    );
    assert_eq!(stub.accepted_bodies().len(), 2, "enrollment + this login");
    assert!(
        daemon.log().contains("method=sms outcome=granted"),
        "{}",
        daemon.log()
    );
}
