//! The hand-written man pages in man/ render without warnings, are all installed by the Debian
//! packages, and keep up with the CLI, the daemon's options, the config keys and the module's
//! arguments (a new subcommand, option or key without a line in its page fails here).

use mfa_tests::*;
use std::path::PathBuf;
use std::process::Command;

const PAGES: [&str; 4] = ["mfad.8", "mfa.1", "pam_mfa.8", "mfad.toml.5"];

fn page(name: &str) -> String {
    let text = std::fs::read_to_string(workspace_root().join("man").join(name))
        .unwrap_or_else(|e| panic!("man/{name}: {e}"));
    // roff writes a literal hyphen as \- ; compare with the plain text of --help.
    text.replace("\\-", "-")
}

/// Subcommand names listed under "Commands:" in a clap --help.
fn subcommands(binary: &PathBuf, args: &[&str]) -> Vec<String> {
    let out = Command::new(binary)
        .args(args)
        .output()
        .expect("run --help");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Long options (`--name`) in a --help text, without --help and --version.
fn long_options(binary: &PathBuf, args: &[&str]) -> Vec<String> {
    let out = Command::new(binary)
        .args(args)
        .output()
        .expect("run --help");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter(|w| w.starts_with("--"))
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        })
        .filter(|w| w != "--help" && w != "--version")
        .collect()
}

#[test]
fn every_man_page_renders_without_warnings() {
    for name in PAGES {
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(workspace_root().join("man").join(name))
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("groff (scripts/deps.sh test installs groff-base)");
        assert!(out.status.success(), "{name}: {}", output_text(&out));
        assert!(
            out.stderr.is_empty(),
            "{name} warns:\n{}",
            output_text(&out)
        );
    }
}

#[test]
fn the_packages_install_every_man_page() {
    let mut listed = String::new();
    for list in ["debian/mfad.manpages", "debian/libpam-mfa.manpages"] {
        listed += &std::fs::read_to_string(workspace_root().join(list)).expect(list);
    }
    for name in PAGES {
        assert!(
            listed.contains(&format!("man/{name}")),
            "{name} not installed"
        );
    }
}

#[test]
fn mfa_page_names_every_subcommand_and_option() {
    let mfa = &build_once().mfa;
    let text = page("mfa.1");
    let mut wanted = subcommands(mfa, &["--help"]);
    wanted.extend(subcommands(mfa, &["enroll", "--help"]));
    wanted.extend(subcommands(mfa, &["admin", "--help"]));
    for (cmd, args) in [
        ("doctor", vec!["doctor", "--help"]),
        ("test-login", vec!["test-login", "--help"]),
        ("admin enroll-totp", vec!["admin", "enroll-totp", "--help"]),
        ("admin reset", vec!["admin", "reset", "--help"]),
        ("admin log", vec!["admin", "log", "--help"]),
    ] {
        for option in long_options(mfa, &args) {
            assert!(text.contains(&option), "mfa.1 lacks {cmd} {option}");
        }
    }
    assert!(wanted.len() > 10, "too few subcommands parsed: {wanted:?}");
    for cmd in wanted {
        assert!(text.contains(&cmd), "mfa.1 lacks the subcommand {cmd}");
    }
}

#[test]
fn mfad_page_names_every_option() {
    let text = page("mfad.8");
    let options = long_options(&build_once().mfad, &["--help"]);
    assert!(
        options.contains(&"--check-config".to_string()),
        "{options:?}"
    );
    for option in options {
        assert!(text.contains(&option), "mfad.8 lacks {option}");
    }
}

#[test]
fn config_page_names_every_table_and_key_of_the_example() {
    let text = page("mfad.toml.5");
    let example = std::fs::read_to_string(workspace_root().join("etc/mfa/mfad.toml"))
        .expect("etc/mfa/mfad.toml");
    for line in example.lines().filter(|l| !l.starts_with('#')) {
        let name = if line.starts_with('[') {
            line.trim()
        } else if let Some((key, _)) = line.split_once(" = ") {
            key.trim()
        } else {
            continue;
        };
        assert!(text.contains(name), "mfad.toml.5 lacks {name}");
    }
}

#[test]
fn pam_mfa_page_names_every_module_argument_in_the_readme() {
    let text = page("pam_mfa.8");
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README");
    let table = readme
        .split("### Module arguments")
        .nth(1)
        .expect("README has a module arguments table");
    let arguments: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .map(|a| a.split('=').next().unwrap_or(a))
        .collect();
    assert!(arguments.len() >= 5, "{arguments:?}");
    for argument in arguments {
        assert!(text.contains(argument), "pam_mfa.8 lacks {argument}");
    }
}
