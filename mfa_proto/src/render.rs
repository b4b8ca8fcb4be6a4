//! What the caller's screen can show, as the module tells the daemon when a login starts
//! (`StartRendered`). The module knows the program it runs in (its pam.d line says so); the
//! daemon shapes its steps to fit.

/// How the daemon's steps are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Render {
    /// Terminals (sshd, sudo, su, login, vlock): prompts may span several lines, the menu is one
    /// numbered list.
    #[default]
    Lines,
    /// One-line entry fields (GDM's placeholder, xsecurelock, xscreensaver's label column,
    /// kscreenlocker): every prompt is one short line with the number first and "Enter" last,
    /// and the menu offers one choice per prompt.
    OneLine,
}

/// Longest prompt the daemon sends in `Render::OneLine` (characters, not bytes).
pub const ONE_LINE_MAX_CHARS: usize = 40;

/// PAM services of greeters and lock screens whose prompt is one entry field (GDM's
/// placeholder, xscreensaver's label column, kscreenlocker, LightDM and SDDM greeters, the
/// GNOME-family screensavers, xsecurelock when given its own service). i3lock and swaylock show
/// no prompt text at all; they need `single_buffer=` instead.
pub const ONE_LINE_SERVICES: &[&str] = &[
    "gdm-password",
    "gdm-smartcard",
    "gdm-fingerprint",
    "lightdm",
    "lightdm-greeter",
    "sddm",
    "sddm-greeter",
    "kde",
    "kscreensaver",
    "xscreensaver",
    "xsecurelock",
    "gnome-screensaver",
    "mate-screensaver",
    "cinnamon-screensaver",
    "xfce4-screensaver",
    "budgie-screensaver",
];

const WIRE_LINES: u32 = 0;
const WIRE_ONE_LINE: u32 = 1;

impl Render {
    pub fn to_wire(self) -> u32 {
        match self {
            Render::Lines => WIRE_LINES,
            Render::OneLine => WIRE_ONE_LINE,
        }
    }

    /// Strict: a value this daemon does not know is refused, never guessed.
    pub fn from_wire(value: u32) -> Result<Render, String> {
        match value {
            WIRE_LINES => Ok(Render::Lines),
            WIRE_ONE_LINE => Ok(Render::OneLine),
            other => Err(format!("unknown render {other}")),
        }
    }

    /// What a login whose module did not say (`render=` absent, or an older module calling
    /// `Start`) gets: one line for the PAM services of programs known to draw each prompt in a
    /// one-line field, lines for everything else. So enabling the pam-auth-update profile (one
    /// line in common-auth for every service) does not squeeze a menu into xscreensaver's
    /// label column. A caller naming another service only changes how its own prompts look.
    pub fn for_service(service: &str) -> Render {
        if ONE_LINE_SERVICES.contains(&service) {
            Render::OneLine
        } else {
            Render::Lines
        }
    }

    /// The word on the pam.d line (`render=`).
    pub fn name(self) -> &'static str {
        match self {
            Render::Lines => "lines",
            Render::OneLine => "oneline",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_render_survives_the_wire_and_unknown_values_are_refused() {
        for render in [Render::Lines, Render::OneLine] {
            assert_eq!(Render::from_wire(render.to_wire()), Ok(render));
        }
        assert!(Render::from_wire(2).is_err());
        assert!(Render::from_wire(u32::MAX).is_err());
    }

    #[test]
    fn greeters_and_lock_screens_get_one_line_and_terminals_lines_when_the_module_did_not_say() {
        for service in ["xscreensaver", "gdm-password", "kde", "lightdm"] {
            assert_eq!(Render::for_service(service), Render::OneLine, "{service}");
        }
        for service in [
            "sshd",
            "sudo",
            "su",
            "login",
            "vlock",
            "other",
            "common-auth",
            "",
        ] {
            assert_eq!(Render::for_service(service), Render::Lines, "{service}");
        }
    }
}
