//! The module's syslog lines carry PAM_USER, PAM_RHOST and PAM_SERVICE, which whoever starts the
//! login chooses. A user name such as `rtx outcome=granted` must stay one quoted field and never
//! read as a second `outcome=` field to a log parser. Logins run through `mfa test-login` under
//! pam_wrapper so the real module's syslog lines can be read (see `logged_login.rs`).

use mfa_tests::*;

const FORGED_USER: &str = "rtx outcome=granted";
const FORGED_AS_LOGGED: &str = "user=\"rtx outcome\\x3dgranted\"";

fn stack(bus: &Bus, daemon_uid: u32, args: &[&str], bus_address: Option<String>) -> PamStack {
    PamStack::with_options(
        bus,
        daemon_uid,
        StackOptions {
            service: "sudo".into(),
            module_args: args.iter().map(|a| a.to_string()).collect(),
            bus_address,
            ..Default::default()
        },
    )
}

/// Every line naming the user holds exactly one `outcome=` and the user as one quoted field.
fn assert_one_outcome_field(out: &LoggedOutcome) {
    let lines = out.log_lines("user=");
    assert!(!lines.is_empty(), "the login was logged:\n{out:#?}");
    for (_, text) in lines {
        assert!(text.contains(FORGED_AS_LOGGED), "{text}");
        assert_eq!(text.matches("outcome=").count(), 1, "{text}");
        assert!(!text.contains("outcome=granted"), "{text}");
    }
}

#[test]
fn a_user_name_holding_outcome_granted_is_logged_as_one_quoted_field() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = stack(&bus, daemon.uid(), &[], None);
    let out = login_logged(&pam, FORGED_USER, &["123456"]);
    assert!(!out.success, "{out:#?}");
    assert_one_outcome_field(&out);
}

#[test]
fn the_fail_open_warning_quotes_a_forged_user_name_too() {
    let bus = Bus::start();
    let dead = format!("unix:path={}/no-such-socket", bus.dir().display());
    let pam = stack(&bus, 0, &["failmode=open"], Some(dead));
    let out = login_logged(&pam, FORGED_USER, &[]);
    let lines = out.log_lines("failmode=open");
    assert_eq!(lines.len(), 1, "{out:#?}");
    let (_, text) = lines[0];
    assert!(text.contains(FORGED_AS_LOGGED), "{text}");
    assert!(!text.contains("outcome=granted"), "{text}");
}

#[test]
fn a_newline_in_the_user_name_cannot_start_a_second_log_line() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = stack(&bus, daemon.uid(), &[], None);
    let out = login_logged(&pam, "rtx\nmfa: user=root outcome=granted", &["123456"]);
    let lines = out.log_lines("user=");
    assert_eq!(lines.len(), 1, "{out:#?}");
    let (_, text) = lines[0];
    assert!(
        text.contains("user=\"rtx\\x0amfa: user\\x3droot outcome\\x3dgranted\""),
        "{text}"
    );
}
