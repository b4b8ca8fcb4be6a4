//! The shipped unit runs mfad hardened: systemd's own exposure score stays at 2.0 or below.

use mfa_tests::*;
use std::process::Command;

#[test]
fn mfad_unit_exposure_is_at_most_2() {
    let unit = workspace_root().join("systemd/mfad.service");
    let out = Command::new("systemd-analyze")
        .args(["security", "--offline=true"])
        .arg(&unit)
        .output()
        .expect("systemd-analyze");
    let text = output_text(&out);
    let score: f64 = text
        .lines()
        .find_map(|l| l.split("Overall exposure level for mfad.service:").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure score in:\n{text}"));
    assert!(score <= 2.0, "exposure {score}:\n{text}");
}

#[test]
fn mfad_unit_runs_as_its_own_user_without_capabilities() {
    let unit =
        std::fs::read_to_string(workspace_root().join("systemd/mfad.service")).expect("unit");
    for line in [
        "User=mfad",
        "CapabilityBoundingSet=\n",
        "NoNewPrivileges=yes",
        "StateDirectoryMode=0700",
        "BusName=org.mfa.Mfad1",
    ] {
        assert!(unit.contains(line), "missing {line:?}");
    }
}
