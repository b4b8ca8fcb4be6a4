use super::*;
use Language::{En, Nl};

fn plain(name: &str, msg: Option<&str>) -> String {
    let text = explain_named(En, name, msg.map(str::to_owned));
    assert!(!text.contains("org.freedesktop"), "{text}");
    text
}

#[test]
fn every_bus_message_exists_in_english_and_dutch_and_differs() {
    mfa_proto::i18n::assert_complete(BusMsg::ALL, &[]);
}

#[test]
fn a_failed_activation_says_mfad_is_not_running_and_how_to_start_it() {
    for name in [
        "org.freedesktop.DBus.Error.Spawn.ChildExited",
        "org.freedesktop.DBus.Error.Spawn.ExecFailed",
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.systemd1.NoSuchUnit",
    ] {
        let text = plain(name, Some("Process org.freedesktop.X exited with status 1"));
        assert!(text.starts_with("mfad is not running"), "{name}: {text}");
        assert!(text.contains("systemctl start mfad"), "{text}");
        assert!(text.contains("service mfad start"), "{text}");
    }
}

#[test]
fn an_access_denial_says_only_root_may_and_not_the_policy_rule() {
    let rule = "Rejected send message, 2 matched rules; type=\"method_call\", sender=\":1.5\" \
                interface=\"org.mfa.Mfad1.Admin\" member=\"List\" destination=\"org.mfa.Mfad1\"";
    let text = plain("org.freedesktop.DBus.Error.AccessDenied", Some(rule));
    assert_eq!(text, "only root may do this: run it with sudo");
    assert!(!text.contains("matched rules"));
}

#[test]
fn a_hung_daemon_says_it_did_not_answer_and_where_to_look() {
    let text = plain(
        "org.freedesktop.DBus.Error.NoReply",
        Some("Did not receive a reply"),
    );
    assert!(text.starts_with("mfad did not answer in time"), "{text}");
}

#[test]
fn an_unknown_method_says_to_restart_the_daemon_after_an_upgrade() {
    let text = plain(
        "org.freedesktop.DBus.Error.UnknownMethod",
        Some("No such method"),
    );
    assert!(text.contains("restart"), "{text}");
}

#[test]
fn invalid_arguments_keep_the_daemons_detail() {
    let text = plain(
        "org.freedesktop.DBus.Error.InvalidArgs",
        Some("bad method name"),
    );
    assert!(text.ends_with("bad method name"), "{text}");
}

#[test]
fn the_daemons_own_refusals_are_shown_as_they_come() {
    let text = plain("org.mfa.Mfad1.Error.NotEnrolled", Some("alice has no TOTP"));
    assert_eq!(text, "alice has no TOTP");
}

#[test]
fn any_other_bus_error_names_only_its_short_kind() {
    let text = plain(
        "org.freedesktop.DBus.Error.LimitsExceeded",
        Some("org.freedesktop.x"),
    );
    assert!(text.contains("(LimitsExceeded)"), "{text}");
    let text = plain(
        "org.freedesktop.DBus.Error.Failed",
        Some("see org.freedesktop.DBus"),
    );
    assert!(text.contains("(Failed)"), "{text}");
}

#[test]
fn a_zbus_error_from_the_fdo_enum_maps_like_its_name() {
    let e = zbus::Error::FDO(Box::new(zbus::fdo::Error::ServiceUnknown(
        "The name org.mfa.Mfad1 was not provided by any .service files".into(),
    )));
    assert!(explain(En, e).starts_with("mfad is not running"));
    let e = zbus::Error::FDO(Box::new(zbus::fdo::Error::AccessDenied("rule".into())));
    assert_eq!(explain(Nl, e), "alleen root mag dit: voer het uit met sudo");
}

#[test]
fn no_system_bus_says_to_start_dbus() {
    let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
    let text = explain(En, zbus::Error::InputOutput(io.into()));
    assert!(text.contains("systemctl start dbus"), "{text}");
}
