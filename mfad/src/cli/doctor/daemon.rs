//! The daemon side: does mfad's config load (the same [`Config::load`] as
//! `mfad --check-config`, so the same problems with key and line), and does somebody pam_mfa
//! trusts own `org.mfa.Mfad1` on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` is honoured, as by
//! every D-Bus client; pam_mfa itself uses its `bus=` argument)?

use std::path::Path;
use std::time::Duration;

use zbus::fdo::DBusProxy;
use zbus::names::BusName;

use super::report::Finding;
use crate::config::Config;

/// The daemon's well-known name.
pub const NAME: &str = "org.mfa.Mfad1";

/// Limit for connecting and for each call: a hung bus must not hang the doctor.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The user pam_mfa trusts (besides root) when its line has no `daemon_uid=`.
const DAEMON_USER: &str = "mfad";

/// Loads the config as the daemon would; one FAIL per problem.
pub fn check_config(path: &Path) -> (Option<Config>, Vec<Finding>) {
    match Config::load(path) {
        Ok(config) => (
            Some(config),
            vec![Finding::ok(format!(
                "config: {} is valid (mfad --check-config would say OK)",
                path.display()
            ))],
        ),
        Err(problems) => {
            let fix = if path.exists() {
                format!(
                    "correct it; mfad refuses to start with a bad config (check again with \
                     `mfad --check-config --config {}`)",
                    path.display()
                )
            } else {
                format!(
                    "install the example: install -m 0644 etc/mfa/mfad.toml {} (README, \
                     \"Installing by hand\")",
                    path.display()
                )
            };
            let findings = problems
                .iter()
                .map(|p| Finding::fail(format!("config: {}: {p}", path.display()), fix.clone()))
                .collect();
            (None, findings)
        }
    }
}

/// Connects to the system bus, within [`CALL_TIMEOUT`].
pub async fn connect() -> Result<zbus::Connection, String> {
    match tokio::time::timeout(CALL_TIMEOUT, zbus::Connection::system()).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {CALL_TIMEOUT:?}")),
    }
}

/// Runs a bus call within [`CALL_TIMEOUT`].
pub async fn timed<T, E: Into<zbus::Error>>(
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(match e.into() {
            zbus::Error::MethodError(_, Some(msg), _) => msg,
            other => other.to_string(),
        }),
        Err(_) => Err(format!("no answer within {CALL_TIMEOUT:?}")),
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
    conn: Result<&zbus::Connection, &str>,
    trust: &[(String, Option<u32>)],
) -> (Vec<Finding>, bool) {
    let conn = match conn {
        Ok(c) => c,
        Err(e) => {
            return (
                vec![Finding::fail(
                    format!(
                        "daemon: cannot reach the system bus ({e}): pam_mfa cannot ask mfad, so \
                         every protected login fails"
                    ),
                    "start D-Bus: systemctl start dbus; then start mfad: systemctl start mfad",
                )],
                false,
            );
        }
    };
    let unreachable = |why: String| {
        (
            vec![Finding::fail(
                format!("daemon: {why}: pam_mfa denies every protected login"),
                "start mfad: systemctl start mfad (and `systemctl enable mfad` for boot)",
            )],
            false,
        )
    };
    let dbus = match timed(DBusProxy::new(conn)).await {
        Ok(p) => p,
        Err(e) => return unreachable(format!("the bus does not answer ({e})")),
    };
    let name = BusName::try_from(NAME).expect("valid bus name");
    match timed(dbus.name_has_owner(name.clone())).await {
        Ok(true) => {}
        Ok(false) => {
            let activatable = timed(dbus.list_activatable_names())
                .await
                .is_ok_and(|names| names.iter().any(|n| n.as_str() == NAME));
            if activatable {
                return (
                    vec![Finding::warn(
                        format!(
                            "daemon: mfad is not running; D-Bus will start it for the first \
                             login ({NAME} is activatable), which makes that login slower"
                        ),
                        "start mfad: systemctl enable --now mfad",
                    )],
                    false,
                );
            }
            return unreachable(format!(
                "mfad is not running ({NAME} has no owner on the bus)"
            ));
        }
        Err(e) => return unreachable(format!("cannot ask the bus about {NAME} ({e})")),
    }
    let owner = match timed(dbus.get_connection_unix_user(name)).await {
        Ok(uid) => uid,
        Err(e) => return unreachable(format!("cannot tell who owns {NAME} ({e})")),
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
            out.push(Finding::fail(
                format!(
                    "daemon: {NAME} is owned by uid {owner}, but {service}'s pam_mfa trusts only \
                     uid {}: it refuses to talk to it, so every login fails",
                    allowed.join(" or ")
                ),
                format!(
                    "run mfad as root or as the `{DAEMON_USER}` user (User= in mfad.service), or \
                     add daemon_uid={owner} to the pam_mfa.so line"
                ),
            ));
        }
    }
    if out.is_empty() {
        out.push(Finding::ok(format!(
            "daemon: mfad is running ({NAME} owned by uid {owner})"
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
