//! `mfa completions SHELL` makes scripts the real shells load and complete with: bash
//! (`source <(mfa completions bash)`, then the registered function asked as if TAB was
//! pressed), fish (`complete -C`, fish's own "what would TAB offer"), and zsh (parses with
//! `zsh -n` and, loaded after compinit, registers its function for mfa). The packages install
//! the same scripts (debian/rules, debian/mfad.install).

use mfa_tests::*;
use std::process::Command;

/// Runs `shell ARGS…` and returns its stdout, failing the test on a non-zero exit.
fn shell(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .env("MFA", &build_once().mfa)
        .output()
        .unwrap_or_else(|e| panic!("{program} (scripts/deps.sh test installs it): {e}"));
    assert!(out.status.success(), "{program}: {}", output_text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What bash offers for TAB after `line` (the words so far, the last one being completed).
fn bash_completes(line: &str) -> Vec<String> {
    let script = format!(
        r#"source <("$MFA" completions bash) || exit 1
spec=$(complete -p mfa) || exit 1
function=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
COMP_LINE={line:?}; COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
"$function" mfa "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    shell("bash", &["--norc", "--noprofile", "-c", &script])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_loads_the_script_and_completes_subcommands_and_their_words() {
    let registered = shell(
        "bash",
        &[
            "--norc",
            "-c",
            r#"source <("$MFA" completions bash); complete -p mfa"#,
        ],
    );
    assert!(registered.contains(" -F _mfa "), "{registered}");
    assert_eq!(bash_completes("mfa ad"), ["admin"]);
    let admin = bash_completes("mfa admin en");
    assert!(admin.contains(&"enroll-totp".to_string()), "{admin:?}");
    assert!(admin.contains(&"enable-pam".to_string()), "{admin:?}");
    let shells = bash_completes("mfa completions ");
    for name in ["bash", "zsh", "fish"] {
        assert!(shells.contains(&name.to_string()), "{shells:?}");
    }
    let options = bash_completes("mfa enroll totp --in");
    assert_eq!(options, ["--invert"]);
}

#[test]
fn fish_loads_the_script_and_completes_subcommands() {
    let offered = shell(
        "fish",
        &[
            "--no-config",
            "-c",
            "\"$MFA\" completions fish | source; complete -C 'mfa ad'; complete -C 'mfa admin en'",
        ],
    );
    let words: Vec<&str> = offered
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(words, ["admin", "enable-pam", "enroll-totp"], "{offered}");
}

#[test]
fn zsh_parses_the_script_and_registers_it_for_mfa() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("_mfa");
    let out = mfa_command()
        .args(["completions", "zsh"])
        .output()
        .expect("mfa");
    assert!(out.status.success(), "{}", output_text(&out));
    std::fs::write(&file, &out.stdout).expect("write _mfa");
    let path = file.to_str().expect("UTF-8 temp path");
    shell("zsh", &["-n", path]);
    let registered = shell(
        "zsh",
        &[
            "-fc",
            &format!(
                "autoload -U compinit && compinit -u -D && source {path:?} && print ${{_comps[mfa]}}"
            ),
        ],
    );
    assert_eq!(registered.trim(), "_mfa");
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["test-login", "enroll-totp", "completions", "--invert"] {
        assert!(text.contains(word), "zsh script lacks {word}");
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_ones_there_are() {
    let out = mfa_command()
        .args(["completions", "tcsh"])
        .output()
        .expect("mfa");
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bash") && err.contains("zsh") && err.contains("fish"),
        "{err}"
    );
}

#[test]
fn the_help_says_what_mfa_is_and_lists_every_method_and_examples() {
    let out = mfa_command().arg("--help").output().expect("mfa");
    assert!(out.status.success(), "{}", output_text(&out));
    let help = String::from_utf8_lossy(&out.stdout);
    let top = help.lines().next().unwrap_or_default();
    assert!(top.starts_with("mfa: "), "top line: {top}");
    assert!(
        !top.contains("libpam application layer"),
        "crate description: {top}"
    );
    assert!(help.contains("USER ") && help.contains("METHOD "), "{help}");
    for method in mfa_proto::METHOD_NAMES {
        assert!(help.contains(method), "--help lacks the method {method}");
    }
    assert!(help.contains("Examples:\n  mfa "), "{help}");
}
