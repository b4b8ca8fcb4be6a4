//! What each desktop or console program needs from its pam_mfa.so line: the programs whose
//! screens cannot show what the daemon asks by default (docs/desktop.md has the why and the
//! tested pam.d lines). One row per program and PAM service; the check is in `mod.rs`.

/// What a program's pam_mfa.so line must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `single_buffer=`: the program answers every prompt with the one typed buffer (i3lock,
    /// swaylock), so a second prompt gets the password again.
    SingleBuffer,
    /// The stock greeter asks for a password only (SDDM): pam_mfa.so is better left out, or
    /// given `single_buffer=` (password+code in the one field; not tested on SDDM).
    NoSecondPrompt,
    /// `min_time=` above 50 ms and `unavail=auth_err` (kscreenlocker marks a stack that answers
    /// within 50 ms or with PAM_AUTHINFO_UNAVAIL as unavailable).
    LockScreenSafe,
    /// `render=oneline`: the program shows each prompt on one line (a hint: it works without).
    OneLine,
    /// `render=oneline` in a service of the program's own: its default service is common-auth,
    /// which every other program shares (xsecurelock).
    OneLineOwnService,
}

/// One program and the PAM service it runs.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The program as admins know it.
    pub program: &'static str,
    /// Its file in /etc/pam.d.
    pub service: &'static str,
    /// A file that shows the program is installed, when the service file alone does not (a
    /// shared service such as common-auth).
    pub installed: Option<&'static str>,
    pub need: Need,
}

pub const RULES: &[Rule] = &[
    Rule {
        program: "i3lock",
        service: "i3lock",
        installed: None,
        need: Need::SingleBuffer,
    },
    Rule {
        program: "swaylock",
        service: "swaylock",
        installed: None,
        need: Need::SingleBuffer,
    },
    Rule {
        program: "SDDM",
        service: "sddm",
        installed: None,
        need: Need::NoSecondPrompt,
    },
    Rule {
        program: "kscreenlocker",
        service: "kde",
        installed: None,
        need: Need::LockScreenSafe,
    },
    Rule {
        program: "GDM",
        service: "gdm-password",
        installed: None,
        need: Need::OneLine,
    },
    Rule {
        program: "xsecurelock",
        service: "xsecurelock",
        installed: None,
        need: Need::OneLine,
    },
    Rule {
        program: "xsecurelock",
        service: "common-auth",
        installed: Some("/usr/libexec/xsecurelock/authproto_pam"),
        need: Need::OneLineOwnService,
    },
    Rule {
        program: "xscreensaver",
        service: "xscreensaver",
        installed: None,
        need: Need::OneLine,
    },
];
