//! The start-up verdict: the file, then each gateway secret, reported with key and line.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::check::{Mode, check};

/// A fresh private directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("mfa-check-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A config whose `[sms]` sends through twilio gateway `tw`, its token given by `token_key`.
fn sms_config(dir: &Scratch, token_key: &str) -> PathBuf {
    let text = format!(
        "[gateways.tw]\nkind = \"twilio\"\naccount_sid = \"AC0123456789abcdef0123456789abcdef\"\n\
         {token_key}\nfrom = \"+15005550006\"\n[sms]\ngateways = [\"tw\"]\n"
    );
    dir.file("mfad.toml", &text, 0o600)
}

fn problems(path: &Path, mode: Mode) -> Vec<String> {
    match check(path, mode) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_world_readable_token_file_is_refused_with_its_key_and_line() {
    let dir = Scratch::new("world-readable");
    let token = dir.file("tw", "tok\n", 0o644);
    let config = sms_config(&dir, &format!("auth_token_file = \"{}\"", token.display()));
    let found = problems(
        &config,
        Mode::Check {
            credentials_dir: None,
        },
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("line 4: gateways.tw.auth_token_file: "),
        "{found:#?}"
    );
    assert!(
        found[0].contains("readable or writable by others"),
        "{found:#?}"
    );
    fs::set_permissions(&token, fs::Permissions::from_mode(0o600))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        problems(
            &config,
            Mode::Check {
                credentials_dir: None
            }
        ),
        Vec::<String>::new()
    );
}

#[test]
fn a_check_outside_the_service_leaves_credentials_alone_but_start_up_does_not() {
    let dir = Scratch::new("credential");
    let config = sms_config(&dir, "auth_token_credential = \"tw\"");
    assert_eq!(
        problems(
            &config,
            Mode::Check {
                credentials_dir: None
            }
        ),
        Vec::<String>::new()
    );
    let found = problems(
        &config,
        Mode::Start {
            credentials_dir: None,
        },
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("$CREDENTIALS_DIRECTORY is not set"),
        "{found:#?}"
    );
    dir.file("tw", "tok\n", 0o400);
    let with_dir = Mode::Start {
        credentials_dir: Some(dir.0.as_path()),
    };
    assert_eq!(problems(&config, with_dir), Vec::<String>::new());
}

#[test]
fn without_a_method_that_sends_no_secret_is_read() {
    let dir = Scratch::new("unused");
    let text = "[gateways.tw]\nkind = \"twilio\"\naccount_sid = \"AC0123456789abcdef0123456789abcdef\"\n\
                auth_token_file = \"/nonexistent/tw\"\nfrom = \"+15005550006\"\n";
    let config = dir.file("mfad.toml", text, 0o600);
    assert_eq!(
        problems(
            &config,
            Mode::Start {
                credentials_dir: None
            }
        ),
        Vec::<String>::new()
    );
}
