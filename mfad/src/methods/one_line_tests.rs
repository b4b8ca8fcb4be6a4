//! Every prompt a login can show on one line (`Render::OneLine`), in every language: one line
//! of at most `ONE_LINE_MAX_CHARS` characters, the numbers to type or choose never cut.

use super::one_line::{fits, join};
use super::prompts::{menu_item, prompt_for};
use crate::audit::Audit;
use crate::config::{Config, Language};
use crate::login_context::LoginContext;
use crate::sessions::{
    CallChallenge, Caller, MethodOption, MethodState, Purpose, PushChallenge, Session,
    SmsChallenge, Stage,
};
use crate::store::{BackupCodes, FileStore, UserRecord};
use mfa_proto::{MethodId, Render, Step};
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

const TARGET: &str = "+31 •••• ••78";

fn context(tag: &str) -> (LoginContext, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("mfad-one-line-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("state dir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("private");
    let store = Arc::new(FileStore::open(&dir).expect("store"));
    let audit = Arc::new(Audit::open(true, &dir));
    (
        LoginContext::new(Arc::new(Config::default()), store, audit),
        dir,
    )
}

fn session(lang: Language, render: Render, methods: &[MethodId]) -> Session {
    Session {
        caller: Caller {
            sender: ":1.1".into(),
            uid: 1000,
        },
        user: "alice".into(),
        service: "xsecurelock".into(),
        rhost: String::new(),
        tty: String::new(),
        enrolled: true,
        purpose: Purpose::Login,
        lang,
        options: methods
            .iter()
            .map(|&method| MethodOption {
                method,
                target: if method == MethodId::Totp {
                    String::new()
                } else {
                    TARGET.into()
                },
            })
            .collect(),
        stage: Stage::Menu,
        sent_at: Default::default(),
        expires: crate::clock::now(),
        render,
        menu_at: 0,
        empty_answers: 0,
    }
}

/// The user's record in `lang`, preferring backup codes or not (the code prompt reads both).
fn record(lang: Language, prefers_backup: bool) -> UserRecord {
    let mut record = UserRecord::new();
    record.language = Some(lang.as_str().into());
    record.backup = Some(BackupCodes {
        salt: "00".into(),
        hashes: vec!["x".into()],
    });
    if prefers_backup {
        record.preferred = vec!["backup".into()];
    }
    record
}

/// Every state of every method, with the digits its prompt must show whole.
fn states() -> Vec<(MethodId, MethodState, Option<&'static str>)> {
    let sms = SmsChallenge {
        code: "123456".into(),
        expires: 0,
        checks_left: 3,
    };
    let call = |digits: Option<&str>| CallChallenge {
        token: "t".into(),
        digits: digits.map(str::to_string),
        deadline: 0,
    };
    let push = PushChallenge {
        token: "t".into(),
        number: "42".into(),
        deadline: 0,
    };
    vec![
        (MethodId::Totp, MethodState::Ready, None),
        (MethodId::Sms, MethodState::Ready, Some("78")),
        (MethodId::Sms, MethodState::Texted(sms), Some("78")),
        (MethodId::Voice, MethodState::Ready, Some("78")),
        (MethodId::Voice, MethodState::Calling(call(None)), None),
        (
            MethodId::Voice,
            MethodState::Calling(call(Some("42"))),
            Some("42"),
        ),
        (MethodId::Push, MethodState::Pushed(push), Some("42")),
        (MethodId::Push, MethodState::Ready, None),
    ]
}

fn text_of(step: Step) -> String {
    match step {
        Step::Prompt { text, .. } => text,
        other => panic!("not a prompt: {other:?}"),
    }
}

fn assert_one_line(text: &str, must_show: Option<&str>) {
    assert!(fits(text), "{text:?} does not fit one line");
    if let Some(digits) = must_show {
        assert!(text.contains(digits), "{text:?} cuts {digits}");
    }
}

#[test]
fn every_prompt_of_every_method_fits_one_line_in_every_language() {
    let (cx, dir) = context("prompts");
    let all = [
        MethodId::Totp,
        MethodId::Sms,
        MethodId::Voice,
        MethodId::Push,
    ];
    for lang in Language::ALL {
        for (method, state, digits) in states() {
            // With every method offered, and with this one alone (no "? for options").
            for options in [&all[..], &[method][..]] {
                let mut s = session(lang, Render::OneLine, options);
                s.stage = Stage::In(method, state.clone());
                for prefers_backup in [false, true] {
                    let record = record(lang, prefers_backup);
                    let text = text_of(prompt_for(&cx, &s, Some(&record)));
                    assert_one_line(&text, digits);
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_choice_of_the_one_line_menu_fits_with_its_position_whole() {
    let all = [
        MethodId::Totp,
        MethodId::Sms,
        MethodId::Voice,
        MethodId::Push,
    ];
    for lang in Language::ALL {
        let mut s = session(lang, Render::OneLine, &all);
        for at in 0..all.len() {
            s.menu_at = at;
            let item = menu_item(&s);
            assert_one_line(&item, Some(&format!("{}/{}", at + 1, all.len())));
            let (cx, dir) = context(&format!("menu-{lang}-{at}"));
            let shown = text_of(prompt_for(&cx, &s, None));
            assert_eq!(shown, item);
            let _ = std::fs::remove_dir_all(dir);
        }
        s.menu_at = 1;
        assert!(menu_item(&s).contains("••78"), "{}", menu_item(&s));
    }
}

#[test]
fn a_wrong_texted_code_is_said_on_the_same_line_as_the_prompt() {
    let (cx, dir) = context("wrong");
    for lang in Language::ALL {
        let (_, texted, _) = states().swap_remove(2);
        let mut s = session(lang, Render::OneLine, &[MethodId::Sms]);
        s.stage = Stage::In(MethodId::Sms, texted);
        let prompt = text_of(prompt_for(&cx, &s, None));
        let note = crate::texts::Text::WrongCodeShort.text(lang);
        let joined = join(Some(note), prompt);
        assert!(joined.starts_with(note) && fits(&joined), "{joined:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_push_prompt_puts_the_number_first_and_enter_last() {
    let (cx, dir) = context("push");
    for lang in Language::ALL {
        let (_, pushed, _) = states().swap_remove(6);
        let mut s = session(lang, Render::OneLine, &[MethodId::Push]);
        s.stage = Stage::In(MethodId::Push, pushed);
        let text = text_of(prompt_for(&cx, &s, None));
        let number_at = text.find("42").expect("number");
        assert!(number_at < text.len() / 2, "{text:?}");
        assert!(text.ends_with("Enter"), "{text:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn on_lines_the_prompts_keep_their_long_form() {
    let (cx, dir) = context("lines");
    let all = [MethodId::Totp, MethodId::Sms];
    let mut s = session(Language::En, Render::Lines, &all);
    s.stage = Stage::In(MethodId::Totp, MethodState::Ready);
    let text = text_of(prompt_for(&cx, &s, None));
    assert_eq!(text, "Verification code (or ? for other options): ");
    s.stage = Stage::Menu;
    assert!(text_of(prompt_for(&cx, &s, None)).starts_with("Choose how to confirm"));
    let _ = std::fs::remove_dir_all(dir);
}
