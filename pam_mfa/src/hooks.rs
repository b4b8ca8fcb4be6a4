//! The PAM entry points. Each reads only PAM items and its own arguments, runs the flow against the
//! daemon inside one `zruntime::block_on`, and maps the outcome to a code. Panics are caught here
//! (`contained`, and again by pam-bindings) and deny.

use crate::args::{self, ModuleArgs};
use crate::client::BusDaemon;
use crate::contained::{contained, inject};
use crate::flow::{self, Conversation, FlowOptions, LoginContext, Outcome};
use crate::min_time::Floor;
use crate::outcome::{label, pam_code};
use crate::{failmode, log_line, owners, pam_ffi};
use pam::constants::{
    PAM_ERROR_MSG, PAM_PROMPT_ECHO_OFF, PAM_PROMPT_ECHO_ON, PAM_SILENT, PamFlag, PamResultCode,
};
use pam::conv::Conv;
use pam::items::{AuthTok, RHost, Service, Tty};
use pam::module::{PamHandle, PamHooks};
use std::ffi::CStr;
use zeroize::Zeroizing;

/// Delay libpam adds to a failed login, so guessing costs time even before the daemon's limits.
const FAIL_DELAY_MICROS: u32 = 2_000_000;

pub struct MfaHooks;

impl PamHooks for MfaHooks {
    fn sm_authenticate(pamh: &mut PamHandle, args: Vec<&CStr>, flags: PamFlag) -> PamResultCode {
        contained(PamResultCode::PAM_AUTH_ERR, || {
            inject(&item::<Service>(pamh), "authenticate");
            authenticate(pamh, &args, flags)
        })
    }

    /// Nothing to set, but the default (PAM_IGNORE) makes pam_setcred fail when this is the only
    /// auth module of a stack.
    fn sm_setcred(pamh: &mut PamHandle, _: Vec<&CStr>, _: PamFlag) -> PamResultCode {
        contained(PamResultCode::PAM_CRED_ERR, || {
            inject(&item::<Service>(pamh), "setcred");
            PamResultCode::PAM_SUCCESS
        })
    }
}

fn authenticate(pamh: &mut PamHandle, args: &[&CStr], flags: PamFlag) -> PamResultCode {
    let args = match args::parse(args.iter().map(|a| a.to_bytes())) {
        Ok(a) => a,
        Err(e) => {
            pam_ffi::log(pamh, libc::LOG_ERR, &format!("bad module arguments: {e}"));
            return PamResultCode::PAM_SERVICE_ERR;
        }
    };
    let floor = Floor::start(args.min_time);
    let code = authenticate_with(pamh, &args, flags);
    floor.hold();
    code
}

fn authenticate_with(pamh: &mut PamHandle, args: &ModuleArgs, flags: PamFlag) -> PamResultCode {
    let user = match pamh.get_user(None) {
        Ok(u) if !u.is_empty() && u.len() <= mfa_proto::MAX_FIELD_LEN => u,
        Ok(_) => return PamResultCode::PAM_USER_UNKNOWN,
        Err(e) => return e,
    };
    let ctx = LoginContext {
        service: item::<Service>(pamh),
        rhost: item::<RHost>(pamh),
        tty: item::<Tty>(pamh),
        user,
    };
    let authtok = match pamh.get_item::<AuthTok>() {
        Ok(Some(set)) => Some(Zeroizing::new(set.as_bytes().to_vec())),
        _ => None,
    };
    let (outcome, handed_on) = {
        let conv = match pamh.get_item::<Conv>() {
            Ok(Some(c)) => c,
            _ => return PamResultCode::PAM_CONV_ERR,
        };
        let mut conv = PamConversation {
            conv,
            silent: flags & PAM_SILENT != 0,
            authtok,
            handed_on: None,
        };
        let outcome = run(args, &ctx, &mut conv);
        (outcome, conv.handed_on.take())
    };
    if let Some(password) = handed_on
        && !pam_ffi::set_authtok(pamh, &password)
    {
        pam_ffi::log(pamh, libc::LOG_ERR, "could not set PAM_AUTHTOK");
        return PamResultCode::PAM_AUTH_ERR;
    }
    if failmode::fails_open(args.failmode, &outcome) {
        pam_ffi::log(pamh, libc::LOG_WARNING, &failmode::log_line(&ctx, &outcome));
        return PamResultCode::PAM_SUCCESS;
    }
    let code = pam_code(&outcome, args.unavail);
    let detail = match &outcome {
        Outcome::Unreachable { reason } | Outcome::Unavailable { reason } => {
            format!(" reason={}", log_line::field(reason))
        }
        Outcome::CannotAsk { reason } => format!(" reason={}", log_line::field(reason)),
        _ => String::new(),
    };
    let priority = if code == PamResultCode::PAM_SUCCESS {
        libc::LOG_INFO
    } else {
        libc::LOG_NOTICE
    };
    pam_ffi::log(
        pamh,
        priority,
        &format!(
            "user={} rhost={} outcome={}{detail}",
            log_line::field(&ctx.user),
            log_line::field(&ctx.rhost),
            label(&outcome)
        ),
    );
    if code != PamResultCode::PAM_SUCCESS && code != PamResultCode::PAM_IGNORE && !args.nodelay {
        pam_ffi::fail_delay(pamh, FAIL_DELAY_MICROS);
    }
    code
}

fn run(args: &ModuleArgs, ctx: &LoginContext, conv: &mut PamConversation) -> Outcome {
    let mut daemon = BusDaemon::new(
        &args.bus_path,
        args.timeout,
        owners::allowed_owners(args.daemon_uid),
        args.render,
    );
    let opts = FlowOptions {
        single_buffer: args.single_buffer,
    };
    zruntime::block_on(async {
        // The module's one real wait: a `Wait` step pauses the PAM thread (flow tests pass none).
        #[allow(clippy::disallowed_methods)]
        let outcome = flow::run(ctx, opts, conv, &mut daemon, &std::thread::sleep).await;
        daemon.close();
        outcome
    })
}

fn item<'a, T>(pamh: &'a PamHandle) -> String
where
    T: pam::items::Item<'a> + std::ops::Deref<Target = &'a CStr>,
{
    match pamh.get_item::<T>() {
        Ok(Some(v)) => {
            let s = v.to_string_lossy();
            s.chars().take(mfa_proto::MAX_FIELD_LEN).collect()
        }
        _ => String::new(),
    }
}

struct PamConversation<'a> {
    conv: Conv<'a>,
    silent: bool,
    /// PAM_AUTHTOK as the hook found it (a copy, wiped when dropped).
    authtok: Option<Zeroizing<Vec<u8>>>,
    /// The password the flow hands on; set as PAM_AUTHTOK once the conversation is done.
    handed_on: Option<Zeroizing<Vec<u8>>>,
}

impl Conversation for PamConversation<'_> {
    fn ask(&mut self, text: &str, echo: bool) -> Option<Zeroizing<Vec<u8>>> {
        let style = if echo {
            PAM_PROMPT_ECHO_ON
        } else {
            PAM_PROMPT_ECHO_OFF
        };
        match self.conv.send(style, text) {
            Ok(Some(answer)) => Some(Zeroizing::new(answer.as_bytes().to_vec())),
            _ => None,
        }
    }

    /// PAM_SILENT (sudo passes it unless `Defaults !pam_silent`) asks modules to emit no
    /// messages; prompts are not messages, so everything the user must read before answering
    /// travels inside the prompt: the daemon puts its notes there ("Wrong code.", the backup
    /// codes warning), and they reach the user under PAM_SILENT too. What comes here is the
    /// final text (a denial: the program says its own "Sorry, try again"), left out under
    /// PAM_SILENT.
    fn show_error(&mut self, text: &str) {
        if !self.silent {
            let _ = self.conv.send(PAM_ERROR_MSG, text);
        }
    }

    /// A `Wait` step's text is part of the challenge, like a prompt: without it the user cannot
    /// sign in (answer the call, press #), so it is shown under PAM_SILENT as well.
    fn show_instruction(&mut self, text: &str) {
        let _ = self.conv.send(PAM_ERROR_MSG, text);
    }

    fn authtok(&self) -> Option<&[u8]> {
        self.authtok.as_ref().map(|t| t.as_slice())
    }

    fn set_authtok(&mut self, password: Zeroizing<Vec<u8>>) {
        self.handed_on = Some(password);
    }
}
