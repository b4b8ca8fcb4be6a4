//! What a failed D-Bus call means to the person at the terminal: what is wrong and what to do,
//! never the bus's internals (error names such as `org.freedesktop.DBus.Error.Spawn.ChildExited`
//! or the whole policy rule of an access denial). The daemon's own refusals
//! (`org.mfa.Mfad1.Error.*`, and `Failed`/`InvalidArgs` with its words) are already written
//! for people and are shown as they come.

use crate::i18n::{catalog, tr};
use mfa_config::Language;

catalog! {
    pub enum BusMsg {
        NotRunning {
            en: "mfad is not running: start it with `systemctl start mfad` (or `service mfad start` without systemd)",
            nl: "mfad draait niet: start het met `systemctl start mfad` (of `service mfad start` zonder systemd)",
        },
        RootOnly {
            en: "only root may do this: run it with sudo",
            nl: "alleen root mag dit: voer het uit met sudo",
        },
        NoAnswer {
            en: "mfad did not answer in time: see its log (`journalctl -u mfad`, or syslog) and restart it if it hangs",
            nl: "mfad antwoordde niet op tijd: kijk in het logboek (`journalctl -u mfad`, of syslog) en herstart het als het vastzit",
        },
        NoBus {
            en: "cannot reach the system bus (is dbus running?): start it with `systemctl start dbus` (or `service dbus start`) ({error})",
            nl: "kan de systeembus niet bereiken (draait dbus?): start het met `systemctl start dbus` (of `service dbus start`) ({error})",
        },
        TooOld {
            en: "the running mfad does not know this command: restart it after an upgrade (`systemctl restart mfad` or `service mfad restart`)",
            nl: "de draaiende mfad kent deze opdracht niet: herstart het na een upgrade (`systemctl restart mfad` of `service mfad restart`)",
        },
        BusFailed {
            en: "the call to mfad failed ({kind}): see mfad's log (`journalctl -u mfad`, or syslog)",
            nl: "de aanroep van mfad mislukte ({kind}): kijk in het logboek van mfad (`journalctl -u mfad`, of syslog)",
        },
    }
}

/// The D-Bus error names, without their common prefix, that mean "nobody serves the name".
const NOT_RUNNING: &[&str] = &["ServiceUnknown", "NameHasNoOwner", "Spawn."];

/// The plain text for a failed call to mfad.
pub fn explain(lang: Language, e: zbus::Error) -> String {
    match e {
        zbus::Error::MethodError(name, msg, _) => explain_named(lang, name.as_str(), msg),
        zbus::Error::FDO(fdo) => {
            let (name, msg) = fdo_parts(&fdo);
            explain_named(lang, &name, msg)
        }
        zbus::Error::InputOutput(io) => tr!(lang, BusMsg::NoBus, error = io),
        zbus::Error::Address(a) => tr!(lang, BusMsg::NoBus, error = a),
        zbus::Error::Handshake(h) => tr!(lang, BusMsg::NoBus, error = h),
        other => scrub(lang, other.to_string()),
    }
}

/// The text for a failure to connect to the system bus at all.
pub fn no_bus(lang: Language, e: zbus::Error) -> String {
    tr!(lang, BusMsg::NoBus, error = scrub(lang, e.to_string()))
}

fn fdo_parts(e: &zbus::fdo::Error) -> (String, Option<String>) {
    use zbus::DBusError;
    (e.name().to_string(), e.description().map(str::to_owned))
}

/// The mapping itself, on the error's name and message.
pub fn explain_named(lang: Language, name: &str, msg: Option<String>) -> String {
    let Some(kind) = name.strip_prefix("org.freedesktop.DBus.Error.") else {
        return match (name, msg) {
            // systemd's bus activation: no such unit, or the unit failed to start.
            (n, _) if n.starts_with("org.freedesktop.systemd1.") => {
                BusMsg::NotRunning.text(lang).to_owned()
            }
            // The daemon's own refusals are written for people.
            (_, Some(m)) if !m.is_empty() => scrub(lang, m),
            (n, _) => tr!(lang, BusMsg::BusFailed, kind = short_name(n)),
        };
    };
    if NOT_RUNNING.iter().any(|p| kind.starts_with(p)) {
        return BusMsg::NotRunning.text(lang).to_owned();
    }
    match kind {
        "AccessDenied" | "AuthFailed" | "InteractiveAuthorizationRequired" => {
            BusMsg::RootOnly.text(lang).to_owned()
        }
        "NoReply" | "Timeout" | "TimedOut" => BusMsg::NoAnswer.text(lang).to_owned(),
        "UnknownMethod" | "UnknownInterface" | "UnknownObject" | "UnknownProperty" => {
            BusMsg::TooOld.text(lang).to_owned()
        }
        "NoServer" | "Disconnected" | "NoNetwork" => {
            tr!(lang, BusMsg::NoBus, error = kind)
        }
        // The daemon refuses bad input with the standard names (`Failed`, `InvalidArgs`) and
        // words written for people; shown unless they name the bus's internals.
        other => match msg {
            Some(m) if !m.is_empty() && !m.contains("org.freedesktop") => m,
            _ => tr!(lang, BusMsg::BusFailed, kind = other),
        },
    }
}

/// The last dot-separated part of an error name.
fn short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// A text that still names the bus's internals says only what failed, in plain words.
fn scrub(lang: Language, text: String) -> String {
    if text.contains("org.freedesktop") {
        tr!(lang, BusMsg::BusFailed, kind = "D-Bus")
    } else {
        text
    }
}

#[cfg(test)]
mod tests;
