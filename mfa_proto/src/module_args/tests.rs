use super::*;

fn p(words: &[&str]) -> Result<ModuleArgs, String> {
    parse(words.iter().map(|w| w.as_bytes()))
}

#[test]
fn defaults_use_the_system_bus_socket() {
    let args = p(&[]).unwrap();
    assert_eq!(args.bus_path, "/run/dbus/system_bus_socket");
    assert_eq!(args.daemon_uid, None);
    assert_eq!(args.timeout, DEFAULT_TIMEOUT);
    assert_eq!(args.failmode, FailMode::Closed);
}

#[test]
fn failmode_is_open_or_closed() {
    assert_eq!(p(&["failmode=open"]).unwrap().failmode, FailMode::Open);
    assert_eq!(p(&["failmode=closed"]).unwrap().failmode, FailMode::Closed);
    for bad in [
        "failmode",
        "failmode=",
        "failmode=Open",
        "failmode=safe",
        "failmode=secure",
    ] {
        assert!(p(&[bad]).is_err(), "{bad}");
    }
}

#[test]
fn every_argument_is_understood() {
    let args = p(&[
        "bus=unix:path=/tmp/t/bus,guid=ab",
        "daemon_uid=0",
        "timeout=3",
        "nodelay",
        "debug",
    ])
    .unwrap();
    assert_eq!(args.bus_path, "/tmp/t/bus");
    assert_eq!(args.daemon_uid, Some(0));
    assert_eq!(args.timeout, Duration::from_secs(3));
    assert!(args.nodelay && args.debug);
}

#[test]
fn unknown_or_malformed_arguments_are_refused() {
    assert!(p(&["nodelays"]).is_err());
    assert!(p(&["bus=tcp:host=1.2.3.4,port=1"]).is_err());
    assert!(p(&["bus=unix:abstract=x"]).is_err());
    assert!(p(&["bus=unix:path=relative"]).is_err());
    assert!(p(&["daemon_uid=root"]).is_err());
    assert!(p(&["timeout=0"]).is_err());
    assert!(p(&["timeout=100000"]).is_err());
    assert!(p(&["nodelay=1"]).is_err());
}

#[test]
fn desktop_arguments_are_understood() {
    let args = p(&[
        "render=oneline",
        "single_buffer=+",
        "min_time=100",
        "unavail=auth_err",
    ])
    .unwrap();
    assert_eq!(args.render, Some(Render::OneLine));
    assert_eq!(p(&["render=lines"]).unwrap().render, Some(Render::Lines));
    assert_eq!(args.single_buffer, Some('+'));
    assert_eq!(args.min_time, Duration::from_millis(100));
    assert_eq!(args.unavail, Unavail::AuthErr);
    let plain = p(&[]).unwrap();
    assert_eq!(plain.render, None);
    assert_eq!(plain.single_buffer, None);
    assert_eq!(plain.min_time, Duration::ZERO);
    assert_eq!(plain.unavail, Unavail::AuthinfoUnavail);
}

#[test]
fn malformed_desktop_arguments_are_refused() {
    for bad in [
        "render=",
        "render=one-line",
        "render",
        "single_buffer",
        "single_buffer=",
        "single_buffer=++",
        "single_buffer=1",
        "single_buffer= ",
        "single_buffer=-",
        "single_buffer=a",
        "min_time=-1",
        "min_time=5001",
        "min_time=fast",
        "unavail=open",
    ] {
        assert!(p(&[bad]).is_err(), "{bad}");
    }
}
