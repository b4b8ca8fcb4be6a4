use super::*;
use std::fs;
use std::path::PathBuf;

const SECURITY: &str = "/usr/lib/x86_64-linux-gnu/security";
const PAM_MATRIX: &str = "/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so";

/// A unique scratch directory per test (tests run in parallel threads).
struct Scratch(PathBuf);
impl Scratch {
    #[allow(clippy::disallowed_methods)] // the time only makes the name unique
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "mfad-pam-app-{}-{}-{}",
            std::process::id(),
            name,
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.0.join(name);
        fs::write(&p, contents).unwrap();
        p
    }
}
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Answers prompts from a queue and records everything it sees.
#[derive(Default)]
struct Script {
    answers: Vec<String>,
    seen: Vec<(Style, String)>,
}
impl Conversation for Script {
    fn prompt(&mut self, style: Style, text: &str) -> Option<String> {
        self.seen.push((style, text.to_string()));
        if !style.is_prompt() {
            return Some(String::new());
        }
        if self.answers.is_empty() {
            None
        } else {
            Some(self.answers.remove(0))
        }
    }
}

fn run(dir: &Scratch, service: &str, script: &mut Script, account: bool) -> Outcome {
    let req = Request {
        service,
        user: "alice",
        confdir: Some(&dir.0),
        rhost: Some("192.0.2.1"),
        tty: Some("pts/3"),
    };
    authenticate(&req, script, account)
}

fn have(path: &str) -> bool {
    Path::new(path).exists()
}

#[test]
fn permit_stack_succeeds() {
    let dir = Scratch::new("permit");
    dir.write(
        "svc",
        &format!(
            "auth required {SECURITY}/pam_permit.so\naccount required {SECURITY}/pam_permit.so\n"
        ),
    );
    let out = run(&dir, "svc", &mut Script::default(), true);
    assert_eq!(out.code, codes::PAM_SUCCESS, "{out:?}");
    assert_eq!(out.describe(), "success");
    assert_eq!(out.stage, Stage::AccountManagement);
}

#[test]
fn deny_stack_fails_with_auth_err() {
    let dir = Scratch::new("deny");
    dir.write(
        "svc",
        "auth required pam_deny.so\naccount required pam_permit.so\n",
    );
    let out = run(&dir, "svc", &mut Script::default(), true);
    assert_eq!(out.code, codes::PAM_AUTH_ERR, "{out:?}");
    assert_eq!(out.stage, Stage::Authenticate);
    assert_eq!(out.name(), "PAM_AUTH_ERR");
    assert!(
        out.describe().ends_with("(PAM_AUTH_ERR, 7)"),
        "{}",
        out.describe()
    );
}

#[test]
fn account_failure_is_reported_from_acct_mgmt() {
    let dir = Scratch::new("acct");
    dir.write(
        "svc",
        "auth required pam_permit.so\naccount required pam_deny.so\n",
    );
    let out = run(&dir, "svc", &mut Script::default(), true);
    assert_eq!(out.stage, Stage::AccountManagement);
    assert_ne!(out.code, codes::PAM_SUCCESS);
    // Without account management the same stack succeeds.
    let out = run(&dir, "svc", &mut Script::default(), false);
    assert_eq!(out.code, codes::PAM_SUCCESS, "{out:?}");
}

#[test]
fn missing_service_is_an_error_not_a_fallback_to_etc() {
    let dir = Scratch::new("missing");
    let out = run(&dir, "no-such-service", &mut Script::default(), true);
    assert_ne!(out.code, codes::PAM_SUCCESS, "{out:?}");
    assert_eq!(out.stage, Stage::Start);
}

#[test]
fn nul_in_user_is_refused_before_libpam() {
    let req = Request {
        service: "svc",
        user: "al\0ice",
        confdir: Some(Path::new("/nonexistent")),
        rhost: None,
        tty: None,
    };
    let out = authenticate(&req, &mut Script::default(), false);
    assert_eq!(out.code, codes::PAM_SYSTEM_ERR);
}

fn matrix_stack(dir: &Scratch) {
    let passdb = dir.write("passdb", "alice:secret:svc\n");
    dir.write(
        "svc",
        &format!(
            "auth required {PAM_MATRIX} passdb={}\naccount required pam_permit.so\n",
            passdb.display()
        ),
    );
}

#[test]
fn pam_matrix_asks_for_a_password_through_the_conversation() {
    if !have(PAM_MATRIX) {
        eprintln!("skipped: {PAM_MATRIX} missing (apt-get install libpam-wrapper)");
        return;
    }
    let dir = Scratch::new("matrix");
    matrix_stack(&dir);

    let mut good = Script {
        answers: vec!["secret".into()],
        ..Script::default()
    };
    let out = run(&dir, "svc", &mut good, true);
    assert_eq!(out.code, codes::PAM_SUCCESS, "{out:?} {:?}", good.seen);
    assert_eq!(good.seen.len(), 1, "{:?}", good.seen);
    assert_eq!(good.seen[0].0, Style::EchoOff);
    assert!(good.seen[0].1.contains("Password"), "{:?}", good.seen);

    let mut bad = Script {
        answers: vec!["wrong".into()],
        ..Script::default()
    };
    let out = run(&dir, "svc", &mut bad, true);
    assert_eq!(out.code, codes::PAM_AUTH_ERR, "{out:?}");
}

#[test]
fn a_prompt_without_an_answer_is_a_conversation_error() {
    if !have(PAM_MATRIX) {
        eprintln!("skipped: {PAM_MATRIX} missing");
        return;
    }
    let dir = Scratch::new("noanswer");
    matrix_stack(&dir);
    let mut empty = Script::default();
    let out = run(&dir, "svc", &mut empty, true);
    assert_ne!(out.code, codes::PAM_SUCCESS, "{out:?}");
    assert_eq!(empty.seen.len(), 1);
}

#[test]
fn a_panicking_conversation_is_caught_and_re_raised_after_pam_end() {
    if !have(PAM_MATRIX) {
        eprintln!("skipped: {PAM_MATRIX} missing");
        return;
    }
    struct Boom;
    impl Conversation for Boom {
        fn prompt(&mut self, _: Style, _: &str) -> Option<String> {
            panic!("boom");
        }
    }
    let dir = Scratch::new("panic");
    matrix_stack(&dir);
    let req = Request {
        service: "svc",
        user: "alice",
        confdir: Some(&dir.0),
        rhost: None,
        tty: None,
    };
    let caught =
        std::panic::catch_unwind(AssertUnwindSafe(|| authenticate(&req, &mut Boom, false)));
    let payload = caught.expect_err("the panic must be re-raised");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
}

#[test]
fn answers_with_nul_or_too_long_are_refused() {
    assert!(to_c_answer("a\0b".into()).is_null());
    assert!(to_c_answer("x".repeat(MAX_RESPONSE_LEN + 1)).is_null());
    let p = to_c_answer("123456".into());
    assert!(!p.is_null());
    // SAFETY: just allocated, NUL-terminated.
    assert_eq!(unsafe { CStr::from_ptr(p) }.to_str().unwrap(), "123456");
    // SAFETY: allocated by calloc.
    unsafe { libc::free(p.cast()) };
}

#[test]
fn code_names() {
    assert_eq!(codes::name(codes::PAM_SUCCESS), "PAM_SUCCESS");
    assert_eq!(codes::name(codes::PAM_MAXTRIES), "PAM_MAXTRIES");
    assert_eq!(
        codes::name(codes::PAM_AUTHINFO_UNAVAIL),
        "PAM_AUTHINFO_UNAVAIL"
    );
    assert_eq!(codes::name(codes::PAM_IGNORE), "PAM_IGNORE");
    assert_eq!(codes::name(99), "PAM_UNKNOWN_CODE");
    assert_eq!(codes::name(-1), "PAM_UNKNOWN_CODE");
}
