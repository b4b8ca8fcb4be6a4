//! A caller that says its screen shows one line (`StartRendered` with render 1, as pam_mfa.so
//! does for `render=oneline`) gets one-line prompts from the real daemon: the code prompt, a
//! menu offering one choice per prompt ("n" for the next, Enter to take it) that reaches the
//! texted code's prompt through a loopback SMS gateway; a render the daemon does not know is
//! refused. `BusLogin` is the bus client the empty-answer tests share.

use mfa_tests::*;

pub const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const AUTH: &str = "org.mfa.Mfad1.Auth";
const NUMBER: &str = "+31 6 12345678";
const ONE_LINE: u32 = 1;
const LINES: u32 = 0;

/// A step as the bus carries it: `(kind, text, arg)`.
pub type WireStep = (u32, String, u32);
pub const KIND_PROMPT: u32 = 1;
pub const KIND_GRANTED: u32 = 3;

/// One login spoken directly on the bus, on one connection (a session belongs to the
/// connection that started it), as root: what pam_mfa.so does, without the module.
pub struct BusLogin {
    runtime: tokio::runtime::Runtime,
    conn: zbus::Connection,
    pub session: String,
}

impl BusLogin {
    /// `StartRendered(user, service, "", "", render)`; the error is the D-Bus error's name.
    pub fn start(bus: &Bus, user: &str, render: u32) -> Result<(BusLogin, WireStep), String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let conn = runtime.block_on(async {
            zbus::connection::Builder::address(bus.address())
                .build()
                .await
                .expect("connect to the test bus")
        });
        let args = (user, "xsecurelock", "", "", render);
        let reply = runtime.block_on(call(&conn, "StartRendered", &args))?;
        let (session, step): (String, WireStep) = reply.body().deserialize().expect("reply");
        let login = BusLogin {
            runtime,
            conn,
            session,
        };
        Ok((login, step))
    }

    /// `Answer(session, answer)`.
    pub fn answer(&self, answer: &str) -> WireStep {
        let body = (self.session.as_str(), answer);
        let reply = self
            .runtime
            .block_on(call(&self.conn, "Answer", &body))
            .unwrap_or_else(|e| panic!("Answer {answer:?}: {e}"));
        let (step,): (WireStep,) = reply.body().deserialize().expect("reply");
        step
    }
}

/// One call on org.mfa.Mfad1.Auth; a D-Bus error comes back as its name.
async fn call<B>(conn: &zbus::Connection, method: &str, body: &B) -> Result<zbus::Message, String>
where
    B: zbus::zvariant::DynamicType + zbus::export::serde::Serialize,
{
    conn.call_method(
        Some(MFAD_BUS_NAME),
        "/org/mfa/Mfad1",
        Some(AUTH),
        method,
        body,
    )
    .await
    .map_err(|e| match e {
        zbus::Error::MethodError(name, _, _) => name.to_string(),
        other => other.to_string(),
    })
}

/// The prompt's text; anything else fails the test.
pub fn prompt_text(step: &WireStep, log: &str) -> String {
    assert_eq!(step.0, KIND_PROMPT, "not a prompt: {step:?}\n{log}");
    step.1.clone()
}

fn assert_one_line(text: &str) {
    assert!(
        !text.contains('\n') && text.chars().count() <= 40,
        "not one line of at most 40 characters: {text:?}"
    );
}

#[test]
fn a_one_line_login_walks_the_one_choice_menu_to_the_texted_code_and_logs_in() {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[sms]\ngateways = [\"stub\"]\n\n{}",
        secrets.gateway("stub", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_phone(&bus, &[&stub], "mfa-oneline-a", SECRET, NUMBER);
    let log = || daemon.log();

    let (login, first) = BusLogin::start(&bus, "mfa-oneline-a", ONE_LINE).expect("start");
    let code_prompt = prompt_text(&first, &log());
    assert_eq!(code_prompt, "Code (? for options): ");
    let item = prompt_text(&login.answer("?"), &log());
    assert_eq!(item, "1/2 App or backup code: Enter=yes n=next");
    let item = prompt_text(&login.answer("n"), &log());
    assert_eq!(item, "2/2 Text to ••78: Enter=yes n=next");
    assert_eq!(
        prompt_text(&login.answer("n"), &log()),
        "1/2 App or backup code: Enter=yes n=next",
        "n wraps around"
    );
    assert_eq!(
        prompt_text(&login.answer("x"), &log()),
        "1/2 App or backup code: Enter=yes n=next",
        "an answer that is no option shows the same choice (the note does not fit)"
    );
    login.answer("n");
    let texted = login.answer("");
    let sms_prompt = prompt_text(&texted, &log());
    assert_eq!(sms_prompt, "Code from text to ••78: ");
    assert_eq!(
        prompt_text(&login.answer(""), &log()),
        sms_prompt,
        "Enter with nothing typed shows the texted code's prompt again"
    );
    let code = stub.last_code().expect("a text went out");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let again = prompt_text(&login.answer(wrong), &log());
    assert_eq!(again, "Wrong code. Code from text to ••78: ");
    for text in [&code_prompt, &item, &sms_prompt, &again] {
        assert_one_line(text);
    }
    assert_eq!(login.answer(&code).0, KIND_GRANTED, "{}", log());
}

#[test]
fn a_render_the_daemon_does_not_know_is_refused_as_invalid_arguments() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let refused = BusLogin::start(&bus, "alice", 7).err().unwrap_or_default();
    assert!(
        refused.starts_with("org.freedesktop.DBus.Error.InvalidArgs"),
        "{refused:?}\n{}",
        daemon.log()
    );
    let (_, lines) = BusLogin::start(&bus, "alice", LINES).expect("render 0 is lines");
    assert_eq!(
        prompt_text(&lines, &daemon.log()),
        "Verification code: ",
        "render 0 keeps the terminal prompts"
    );
}

#[test]
fn a_one_line_code_prompt_for_an_app_user_fits_and_the_right_code_logs_in() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let (login, first) = BusLogin::start(&bus, "alice", ONE_LINE).expect("start");
    let prompt = prompt_text(&first, &daemon.log());
    assert_eq!(prompt, "Code: ");
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    assert_eq!(login.answer(&code).0, KIND_GRANTED, "{}", daemon.log());
}

/// Logs `user` in as its own uid through the real module (a screen locker runs PAM as the
/// user), asking for a text from the menu ("?" then "2") and then giving up.
fn ask_for_a_text_as_the_user(pam: &PamStack, uid: u32, user: &str) {
    let out = as_user(uid, env!("CARGO_BIN_EXE_pam-hook-host"))
        .arg(pam.dir())
        .args([pam.service(), user, "?", "2"])
        .output()
        .expect("pam-hook-host");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("authenticate="),
        "{out:?}"
    );
}

/// The PAM stack's directory readable by the user the locker runs as.
fn readable_by_everyone(pam: &PamStack) {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::fs::Permissions::from_mode(0o755);
    std::fs::set_permissions(pam.dir(), dir).expect("chmod the stack's directory");
    let file = std::fs::Permissions::from_mode(0o644);
    std::fs::set_permissions(pam.dir().join(pam.service()), file).expect("chmod the service");
}

#[test]
fn a_screen_locker_running_as_the_user_gets_four_texts_an_hour_and_enrolling_spends_none() {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    // The user's and the number's budgets are roomy here: only the non-root one (defaults)
    // can say no.
    let config = format!(
        "[sms]\ngateways = [\"stub\"]\n\n[budgets]\nuser_hour = 10\nnumber_hour = 10\n\n{}",
        secrets.gateway("stub", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    let user = "mfa-oneline-b";
    enroll_phone(&bus, &[&stub], user, SECRET, NUMBER);
    let uid = ensure_user(user);
    let pam = PamStack::new(&bus, &daemon);
    readable_by_everyone(&pam);
    let texts = || stub.accepted_bodies().len();
    assert_eq!(texts(), 1, "the enrollment text");
    for unlock in 1..=4 {
        ask_for_a_text_as_the_user(&pam, uid, user);
        assert_eq!(texts(), 1 + unlock, "unlock {unlock}:\n{}", daemon.log());
    }
    ask_for_a_text_as_the_user(&pam, uid, user);
    assert_eq!(texts(), 5, "the fifth text in the hour:\n{}", daemon.log());
    assert!(
        daemon.log().contains("outcome=sms-refused-budget"),
        "{}",
        daemon.log()
    );
    // Root's callers (sshd, sudo) still reach the user's own budget.
    let (_, t) = pam.login(user, &["?", "2", "?"]);
    assert_eq!(texts(), 6, "{t}\n{}", daemon.log());
}

#[test]
fn a_one_line_login_through_the_module_reads_as_recorded() {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[totp]\nissuer = \"testhost\"\n\n[sms]\ngateways = [\"stub\"]\n\n{}",
        secrets.gateway("stub", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    let user = "gold-oneline";
    enroll_phone(&bus, &[&stub], user, SECRET, NUMBER);
    let pam = PamStack::with_args(&bus, &daemon, &["render=oneline"]);
    // Enter (the prompt again), Enter (the menu), next, take it, a wrong code, the right one.
    let texted = {
        let stub = stub.clone();
        move || stub.last_code().unwrap_or_default()
    };
    let answers = ["", "", "n", "", "000000", TEXTED_CODE];
    let (rc, t) = pam.login_with(user, ScriptedConversation::with_resolver(&answers, texted));
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    for prompt in t.prompts() {
        assert_one_line(prompt);
    }
    GoldenTranscript::new()
        .login(
            "one-line login: Enter twice, the one-choice menu, a text",
            rc,
            &t,
        )
        .assert_matches("login_oneline_menu_sms");
}
