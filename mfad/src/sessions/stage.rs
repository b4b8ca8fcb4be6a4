//! Where a login stands: in the "other options" menu, or in one method's own state. The
//! options are fixed when the session starts. Each method's state is plain data kept here,
//! below the methods, so that a session names no method's code; the code that moves a login
//! through a method's states lives in `methods/*/login.rs`.

use mfa_proto::MethodId;

/// One entry of the menu: which method and where it goes (a masked number, never the number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodOption {
    pub method: MethodId,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Menu,
    In(MethodId, MethodState),
}

/// Where a login stands inside one method (each method's own state, kanidm-style).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodState {
    /// The method's first prompt, nothing sent yet ("press Enter to get a text": a
    /// conversation that answers every prompt blindly sends nothing; the code prompt needs
    /// nothing sent at all).
    Ready,
    Texted(SmsChallenge),
    Calling(CallChallenge),
    Pushed(PushChallenge),
}

/// A texted code waiting to be typed: single use, short-lived, a few checks only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsChallenge {
    pub code: String,
    pub expires: u64,
    pub checks_left: u32,
}

/// A call placed for this login, waiting for its keypad answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallChallenge {
    /// Where the call's outcome is found (and the token in its callback URLs).
    pub token: String,
    /// The digits shown at the prompt for number matching; `None` means "press #".
    pub digits: Option<String>,
    /// Unix time after which the login stops waiting for it.
    pub deadline: u64,
}

/// A push sent for this login, waiting for the approval page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushChallenge {
    pub token: String,
    /// The number shown at the prompt, typed on the page (number matching).
    pub number: String,
    /// Unix time after which the login stops waiting ("not approved in time").
    pub deadline: u64,
}
