//! Black-box test harness for `pam_mfa` + `mfad`.
//!
//! Everything here drives the real artefacts: a private system-like `dbus-daemon` loading the
//! project's own policy file, the real `target/debug/mfad` with a temporary config and state,
//! the real `libpam_mfa.so` through real libpam (`pam_start_confdir`), the real `mfa` CLI, and
//! independent TOTP codes from `oathtool`.
//!
//! ```no_run
//! use mfa_tests::*;
//! let bus = Bus::start();
//! let daemon = Daemon::start(&bus, "[limits]\nmax_failures = 3\n");
//! enroll_totp(&bus, "alice", "JBSWY3DPEHPK3PXP", 6, "SHA1", 30);
//! let pam = PamStack::new(&bus, &daemon);
//! let code = oathtool_code("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, None);
//! let (rc, transcript) = pam.login("alice", &[&code]);
//! assert_eq!(rc, codes::PAM_SUCCESS, "{transcript}\n{}", daemon.log());
//! ```

mod admin;
mod artifacts;
mod browser;
mod bus;
mod cli;
mod daemon;
pub mod desktop;
mod golden;
mod golden_diff;
mod golden_normalise;
mod http_stub;
mod logged_login;
mod loopback_http;
mod ntfy_stub;
mod oath;
mod pam;
mod panic_build;
mod phone;
mod phone_enroll;
pub mod postgres;
mod process;
mod push_phone;
pub mod slowloris;
mod store_backend;
mod tmux;
mod twilio_phone;
mod twilio_stub;
mod users;
mod wait;
mod web_client;
mod xvfb;

pub use admin::{enroll_totp, try_enroll_totp};
pub use artifacts::{Artifacts, build_once, target_dir, workspace_root};
pub use browser::{BrowserVisit, PageAction, approve_in_browser, screenshot_dir, visit_in_browser};
pub use bus::{Bus, MFAD_BUS_NAME, busctl_at};
pub use cli::{mfa, mfa_as_nobody, mfa_command, mfa_with_input, output_text};
pub use daemon::Daemon;
pub use golden::{GoldenTranscript, golden_dir, normalise, pam_code_name};
pub use http_stub::{HttpReply, HttpRequest, HttpStub, percent_decode};
pub use logged_login::{LoggedLogin, LoggedOutcome, login_logged};
pub use mfa_cli::pam_app::{self, Style, codes};
pub use ntfy_stub::{NtfyAction, NtfyMessage, NtfyReply, NtfyStub};
pub use oath::{now_unix, oathtool_code, wrong_code};
pub use pam::{PAM_MATRIX, PamStack, ScriptedConversation, StackOptions, TEXTED_CODE, Transcript};
pub use panic_build::panic_build;
pub use phone::{TWILIO_SID, TWILIO_TOKEN, TwilioSecrets, enroll_phone, free_loopback_port};
pub use phone_enroll::{code_in, enroll_phone_via};
pub use push_phone::{
    NTFY_TOKEN, ON_THE_PHONE, PUSH_OPTION, PushChallenge, PushPolicy, PushSetup, approval_form,
    csrf_of, push_option, shown_number,
};
pub use store_backend::{StoreBackend, files_backend_only, files_only_tests};
pub use tmux::Tmux;
pub use twilio_phone::{PlacedCall, twilio_post, twilio_signature};
pub use twilio_stub::{Received, Reply, TwilioStub};
pub use users::{as_user, ensure_user};
pub use wait::{try_wait_for, wait_for};
pub use web_client::{WebResponse, web_get, web_post_form};
pub use xvfb::Xvfb;
