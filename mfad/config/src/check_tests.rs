//! The start-up verdict: the file, then each gateway secret, reported with key and line.

use std::path::{Path, PathBuf};

use crate::check::{Mode, check};
use crate::test_dir::{TempDir, set_mode};

/// A config whose `[sms]` sends through twilio gateway `tw`, its token given by `token_key`.
fn sms_config(dir: &TempDir, token_key: &str) -> PathBuf {
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
    let dir = TempDir::new();
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
    set_mode(&token, 0o600);
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
    let dir = TempDir::new();
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
        credentials_dir: Some(dir.path()),
    };
    assert_eq!(problems(&config, with_dir), Vec::<String>::new());
}

#[test]
fn without_a_method_that_sends_no_secret_is_read() {
    let dir = TempDir::new();
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
