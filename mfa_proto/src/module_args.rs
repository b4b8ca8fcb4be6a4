//! pam_mfa.so's arguments from the pam.d line (root-owned, so trusted; the environment is not).
//! One parser for the module and for `mfa doctor`, so the two never disagree about a line.

use crate::Render;
use std::time::Duration;

/// How long one D-Bus call may take unless `timeout=` says otherwise. Below sshd's
/// LoginGraceTime (120 s) with room to spare.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_TIMEOUT_SECS: u64 = 300;
/// `min_time=` is at most this (a lock screen's floor, not a delay to punish with).
const MAX_MIN_TIME_MS: u64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleArgs {
    /// D-Bus address; only `unix:path=` addresses are accepted.
    pub bus_path: String,
    /// The uid the owner of the bus name must have; `None` = root or the `mfad` user.
    pub daemon_uid: Option<u32>,
    pub timeout: Duration,
    /// Skip `pam_fail_delay` (tests; the stack's own delay still applies).
    pub nodelay: bool,
    pub debug: bool,
    /// What an unreachable daemon means for this service (`failmode=`).
    pub failmode: FailMode,
    /// What the program's screen can show (`render=lines|oneline`), told to the daemon; `None`
    /// lets the daemon decide from the service name ([`Render::for_service`]).
    pub render: Option<Render>,
    /// `single_buffer=SEP`: the program answers every prompt with one typed buffer (i3lock,
    /// swaylock). The module asks once, splits "password SEP code" at the last SEP, checks the
    /// code and hands the password on in PAM_AUTHTOK (the stack's pam_unix uses
    /// `use_first_pass`).
    pub single_buffer: Option<char>,
    /// `min_time=MS`: the module never returns sooner (kscreenlocker marks a stack that answers
    /// within 50 ms as unavailable).
    pub min_time: Duration,
    /// `unavail=auth_err`: report "daemon unavailable" as PAM_AUTH_ERR instead of
    /// PAM_AUTHINFO_UNAVAIL (kscreenlocker disables a stack that returns AUTHINFO_UNAVAIL).
    pub unavail: Unavail,
}

/// What an unavailable daemon is reported as (`unavail=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unavail {
    #[default]
    AuthinfoUnavail,
    AuthErr,
}

/// `failmode=closed` (default): an unreachable daemon denies. `failmode=open`: an admin's
/// per-service opt-in to let logins through when the daemon cannot be reached before any
/// challenge started (see `failmode.rs` for exactly when).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailMode {
    #[default]
    Closed,
    Open,
}

impl Default for ModuleArgs {
    fn default() -> Self {
        ModuleArgs {
            bus_path: "/run/dbus/system_bus_socket".into(),
            daemon_uid: None,
            timeout: DEFAULT_TIMEOUT,
            nodelay: false,
            debug: false,
            failmode: FailMode::Closed,
            render: None,
            single_buffer: None,
            min_time: Duration::ZERO,
            unavail: Unavail::AuthinfoUnavail,
        }
    }
}

/// Parse `key=value` words. An unknown or malformed argument is an admin error: the caller
/// fails closed rather than guessing.
pub fn parse<'a>(words: impl IntoIterator<Item = &'a [u8]>) -> Result<ModuleArgs, String> {
    let mut args = ModuleArgs::default();
    for word in words {
        let word = std::str::from_utf8(word).map_err(|_| "argument is not UTF-8".to_string())?;
        let (key, value) = match word.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (word, None),
        };
        match (key, value) {
            ("bus", Some(v)) => args.bus_path = unix_path(v)?,
            ("daemon_uid", Some(v)) => {
                args.daemon_uid = Some(
                    v.parse()
                        .map_err(|_| format!("daemon_uid={v}: not a uid"))?,
                )
            }
            ("timeout", Some(v)) => {
                let secs: u64 = v
                    .parse()
                    .map_err(|_| format!("timeout={v}: not a number of seconds"))?;
                if !(1..=MAX_TIMEOUT_SECS).contains(&secs) {
                    return Err(format!(
                        "timeout={v}: must be 1..={MAX_TIMEOUT_SECS} seconds"
                    ));
                }
                args.timeout = Duration::from_secs(secs);
            }
            ("failmode", Some("closed")) => args.failmode = FailMode::Closed,
            ("failmode", Some("open")) => args.failmode = FailMode::Open,
            ("failmode", Some(v)) => {
                return Err(format!("failmode={v}: must be open or closed"));
            }
            ("render", Some("lines")) => args.render = Some(Render::Lines),
            ("render", Some("oneline")) => args.render = Some(Render::OneLine),
            ("render", Some(v)) => return Err(format!("render={v}: must be lines or oneline")),
            ("single_buffer", Some(v)) => args.single_buffer = Some(separator(v)?),
            ("min_time", Some(v)) => {
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("min_time={v}: not a number of milliseconds"))?;
                if ms > MAX_MIN_TIME_MS {
                    return Err(format!("min_time={v}: must be 0..={MAX_MIN_TIME_MS} ms"));
                }
                args.min_time = Duration::from_millis(ms);
            }
            ("unavail", Some("authinfo_unavail")) => args.unavail = Unavail::AuthinfoUnavail,
            ("unavail", Some("auth_err")) => args.unavail = Unavail::AuthErr,
            ("unavail", Some(v)) => {
                return Err(format!("unavail={v}: must be authinfo_unavail or auth_err"));
            }
            ("nodelay", None) => args.nodelay = true,
            ("debug", None) => args.debug = true,
            _ => return Err(format!("unknown argument {word:?}")),
        }
    }
    Ok(args)
}

/// The separator of `single_buffer=`: one ASCII punctuation character. Not a digit or a space
/// (a code may be typed "123 456"), so the split at the last one is never ambiguous.
fn separator(value: &str) -> Result<char, String> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_punctuation() && c != '-' => Ok(c),
        _ => Err(format!(
            "single_buffer={value}: must be one punctuation character other than - (e.g. +)"
        )),
    }
}

/// `unix:path=/x/y` → `/x/y`. Other transports (tcp, abstract sockets) are refused: the system
/// bus is a filesystem socket, and nothing else should be able to stand in for it.
fn unix_path(address: &str) -> Result<String, String> {
    let path = address
        .strip_prefix("unix:path=")
        .ok_or_else(|| format!("bus={address}: only unix:path= addresses are supported"))?;
    let path = path.split(',').next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(format!("bus={address}: the socket path must be absolute"));
    }
    Ok(path.to_string())
}

#[cfg(test)]
mod tests;
