//! The daemon side: does mfad's config load (the same [`mfa_config::check::check`] as
//! `mfad --check-config`, so the same problems with key and line), and does somebody pam_mfa
//! trusts own `org.mfa.Mfad1` on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` is honoured, as by
//! every D-Bus client; pam_mfa itself uses its `bus=` argument)?

use std::path::Path;
use std::time::Duration;

use zbus::fdo::DBusProxy;
use zbus::names::BusName;

use super::activation::Activation;
use super::messages::Msg;
use super::report::Finding;
use crate::i18n::{Common, tr};
use mfa_config::{Config, Language, Problem};

/// The daemon's well-known name.
pub const NAME: &str = "org.mfa.Mfad1";

/// Limit for connecting and for each call: a hung bus must not hang the doctor.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The user pam_mfa trusts (besides root) when its line has no `daemon_uid=`.
const DAEMON_USER: &str = "mfad";

/// The findings for the config as the daemon would load it (`loaded` is [`Config::load`] of
/// `path`): one FAIL per problem.
pub fn check_config(
    path: &Path,
    loaded: Result<Config, Vec<Problem>>,
    lang: Language,
) -> (Option<Config>, Vec<Finding>) {
    let shown = path.display();
    match loaded {
        Ok(config) => (
            Some(config),
            vec![Finding::ok(tr!(lang, Msg::ConfigValid, path = shown))],
        ),
        Err(problems) => {
            let fix = if path.exists() {
                tr!(lang, Msg::ConfigFixCorrect, path = shown)
            } else {
                tr!(lang, Msg::ConfigFixInstall, path = shown)
            };
            let findings = problems
                .iter()
                .map(|p| {
                    Finding::fail(
                        tr!(lang, Msg::ConfigProblem, path = shown, problem = p),
                        fix.clone(),
                    )
                })
                .collect();
            (None, findings)
        }
    }
}

/// "no answer within 5s".
fn no_answer(lang: Language) -> String {
    tr!(
        lang,
        Common::NoAnswerWithin,
        duration = format!("{CALL_TIMEOUT:?}")
    )
}

/// Connects to the system bus, within [`CALL_TIMEOUT`].
pub async fn connect(lang: Language) -> Result<zbus::Connection, String> {
    match tokio::time::timeout(CALL_TIMEOUT, zbus::Connection::system()).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(crate::messages::bus::no_bus(lang, e)),
        Err(_) => Err(no_answer(lang)),
    }
}

/// Runs a bus call within [`CALL_TIMEOUT`].
pub async fn timed<T, E: Into<zbus::Error>>(
    lang: Language,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(crate::messages::bus::explain(lang, e.into())),
        Err(_) => Err(no_answer(lang)),
    }
}

/// The uids pam_mfa accepts as the name's owner: `daemon_uid=` if given, else root and `mfad`.
fn trusted_uids(daemon_uid: Option<u32>) -> Vec<u32> {
    match daemon_uid {
        Some(uid) => vec![uid],
        None => {
            let mut uids = vec![0];
            if let Ok(Some(user)) = nix::unistd::User::from_name(DAEMON_USER) {
                uids.push(user.uid.as_raw());
            }
            uids
        }
    }
}

/// Is mfad there, and would each protected service's pam_mfa trust it? `trust`: for each
/// service with pam_mfa, its `daemon_uid=`. Returns the findings and whether mfad answers.
pub async fn check_name(
    root: &Path,
    conn: Result<&zbus::Connection, &str>,
    trust: &[(String, Option<u32>)],
    lang: Language,
) -> (Vec<Finding>, bool) {
    let conn = match conn {
        Ok(c) => c,
        Err(e) => {
            return (
                vec![Finding::fail(
                    tr!(lang, Msg::DaemonNoBus, error = e),
                    Msg::DaemonNoBusFix.text(lang),
                )],
                false,
            );
        }
    };
    let unreachable = |why: String| {
        (
            vec![Finding::fail(
                tr!(lang, Msg::DaemonUnreachable, why = why),
                Msg::DaemonUnreachableFix.text(lang),
            )],
            false,
        )
    };
    let dbus = match timed(lang, DBusProxy::new(conn)).await {
        Ok(p) => p,
        Err(e) => return unreachable(tr!(lang, Msg::BusDoesNotAnswer, error = e)),
    };
    let name = BusName::try_from(NAME).expect("valid bus name");
    match timed(lang, dbus.name_has_owner(name.clone())).await {
        Ok(true) => {}
        Ok(false) => {
            let activatable = timed(lang, dbus.list_activatable_names())
                .await
                .is_ok_and(|names| names.iter().any(|n| n.as_str() == NAME));
            let activation =
                super::activation::judge(root, NAME, super::activation::systemd_runs());
            if let (true, Activation::Dead { file }) = (activatable, activation) {
                return (
                    vec![Finding::fail(
                        tr!(lang, Msg::DaemonActivationDead, file = file.display()),
                        Msg::DaemonActivationDeadFix.text(lang),
                    )],
                    false,
                );
            }
            if activatable {
                return (
                    vec![Finding::warn(
                        tr!(lang, Msg::DaemonActivatable, name = NAME),
                        Msg::DaemonActivatableFix.text(lang),
                    )],
                    false,
                );
            }
            return unreachable(tr!(lang, Msg::DaemonNotRunning, name = NAME));
        }
        Err(e) => return unreachable(tr!(lang, Msg::CannotAskBus, name = NAME, error = e)),
    }
    let owner = match timed(lang, dbus.get_connection_unix_user(name)).await {
        Ok(uid) => uid,
        Err(e) => return unreachable(tr!(lang, Msg::CannotTellOwner, name = NAME, error = e)),
    };
    let mut out = Vec::new();
    let default = [(String::from("pam_mfa"), None)];
    let trust = if trust.is_empty() {
        &default[..]
    } else {
        trust
    };
    for (service, daemon_uid) in trust {
        let allowed = trusted_uids(*daemon_uid);
        if !allowed.contains(&owner) {
            let allowed: Vec<String> = allowed.iter().map(u32::to_string).collect();
            let or = format!(" {} ", Msg::Or.text(lang));
            out.push(Finding::fail(
                tr!(
                    lang,
                    Msg::DaemonWrongOwner,
                    name = NAME,
                    owner = owner,
                    service = service,
                    allowed = allowed.join(&or)
                ),
                tr!(
                    lang,
                    Msg::DaemonWrongOwnerFix,
                    user = DAEMON_USER,
                    owner = owner
                ),
            ));
        }
    }
    if out.is_empty() {
        out.push(Finding::ok(tr!(
            lang,
            Msg::DaemonRunning,
            name = NAME,
            owner = owner
        )));
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_daemon_uid_is_the_only_trusted_owner() {
        assert_eq!(trusted_uids(Some(123)), vec![123]);
    }

    #[test]
    fn root_is_trusted_by_default() {
        assert_eq!(trusted_uids(None).first(), Some(&0));
    }
}
