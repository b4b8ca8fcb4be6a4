//! Where a login stands: at the code prompt, in the "other options" menu, offered a text
//! message or a call, waiting for the texted code, or waiting for the call to be confirmed.
//! The options are fixed when the session starts.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// An authenticator-app code or a backup code, typed at the same prompt.
    Code,
    /// A code sent by text message.
    Sms,
    /// A phone call confirmed on its keypad.
    Voice,
    /// A notification approved on the phone's approval page.
    Push,
}

impl MethodKind {
    /// The method names users and admins use ("totp"/"backup" both mean the code prompt).
    pub fn matches(self, name: &str) -> bool {
        match self {
            MethodKind::Code => matches!(name, "totp" | "backup"),
            MethodKind::Sms => name == "sms",
            MethodKind::Voice => name == "voice",
            MethodKind::Push => name == "push",
        }
    }
}

/// One entry of the menu: what it is and where it goes (a masked number, never the number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodOption {
    pub kind: MethodKind,
    pub target: String,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Code,
    Menu,
    /// "Press Enter to get a text message": nothing is sent before the user answers, so a
    /// conversation that answers every prompt blindly (sshd's password method) sends nothing.
    OfferSms,
    Sms(SmsChallenge),
    /// "Press Enter to get a call": like texts, nothing rings before the user answers.
    OfferCall,
    Call(CallChallenge),
    /// "Press Enter to get a notification": nothing is pushed before the user answers.
    OfferPush,
    Push(PushChallenge),
}

/// A fresh code of `length` random digits.
pub fn random_code(length: usize) -> Result<String, String> {
    let mut code = String::with_capacity(length);
    while code.len() < length {
        let mut b = [0u8; 1];
        getrandom::fill(&mut b).map_err(|e| e.to_string())?;
        // 250 = 25 × 10: reject the top values so every digit is equally likely.
        if b[0] < 250 {
            code.push(char::from(b'0' + b[0] % 10));
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_asked_length_and_only_digits() {
        let code = random_code(8).unwrap();
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(random_code(10).unwrap(), random_code(10).unwrap());
    }

    #[test]
    fn method_names_map_to_kinds() {
        assert!(MethodKind::Code.matches("totp") && MethodKind::Code.matches("backup"));
        assert!(MethodKind::Sms.matches("sms") && !MethodKind::Sms.matches("totp"));
        assert!(MethodKind::Voice.matches("voice") && !MethodKind::Voice.matches("sms"));
    }
}
