//! Gateways are set up only with secrets that pass the secret-file checks.

use super::*;

#[test]
fn gateways_refuse_to_start_with_a_world_readable_token_file() {
    let dir = TempDir::new();
    let token = dir.file("token", "tok", 0o644);
    let config = parse(&twilio_table("tw", "https://api.twilio.com", &token, 10));
    let e = Gateways::from_config(&config, None)
        .err()
        .unwrap_or_default();
    assert!(e.starts_with("gateway tw: "), "{e}");
    assert!(e.contains(&token.display().to_string()), "{e}");
    assert!(e.contains("readable or writable by others"), "{e}");
    set_mode(&token, 0o600);
    let g = Gateways::from_config(&config, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.names().collect::<Vec<_>>(), ["tw"]);
}

#[test]
fn gateways_read_a_credential_when_given_the_directory() {
    let dir = TempDir::new();
    dir.file("tw", "tok", 0o400);
    let text = twilio_table("tw", "https://api.twilio.com", Path::new("/x"), 10)
        .replace("auth_token_file = \"/x\"", "auth_token_credential = \"tw\"");
    let config = parse(&text);
    assert!(Gateways::from_config(&config, Some(dir.path())).is_ok());
    let e = Gateways::from_config(&config, None)
        .err()
        .unwrap_or_default();
    assert!(e.starts_with("gateway tw: credential \"tw\""), "{e}");
}
