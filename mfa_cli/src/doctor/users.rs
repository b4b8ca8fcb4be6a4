//! Who would be locked out: under `unenrolled = "deny"` (for login, sshd, su or sudo), a local
//! user who can log in (uid ≥ UID_MIN or root, a real shell) and has nothing enrolled is refused
//! at the code prompt. The daemon says what each user has (`Admin.Status`, root only). These
//! lockout risks are reported apart from the other findings (`mfa doctor` prints them first,
//! `mfa admin enable-pam` refuses on them).

use super::daemon::timed;
use super::messages::Msg;
use super::report::Finding;
use crate::admin::AdminProxy;
use crate::i18n::tr;
use mfa_config::{Config, Language, Unenrolled};

/// The services whose policy decides: the ones `mfa doctor` checks the stacks of, and the
/// console ones the pam-auth-update profile adds pam_mfa to (root logs in at the console with
/// `login`, and becomes root with `su`).
pub const SERVICES: &[&str] = &["login", "sshd", "su", "sudo"];

/// The overflow uid (`nobody`): never a login, whatever its shell says.
const NOBODY_UID: u32 = 65534;

/// A passwd entry that can log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginUser {
    pub name: String,
    pub uid: u32,
}

/// `UID_MIN` from login.defs text, else 1000.
pub fn uid_min(login_defs: &str) -> u32 {
    login_defs
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            if w.next() != Some("UID_MIN") {
                return None;
            }
            w.next()?.parse().ok()
        })
        .next_back()
        .unwrap_or(1000)
}

/// Users with a login shell and uid ≥ `uid_min` (or root), from passwd text.
pub fn login_users(passwd: &str, uid_min: u32) -> Vec<LoginUser> {
    passwd
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('+') && !l.starts_with('-'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() != 7 || f[0].is_empty() {
                return None;
            }
            let uid: u32 = f[2].parse().ok()?;
            let shell = f[6].trim();
            // An empty shell field means /bin/sh.
            let no_login = shell.ends_with("/nologin")
                || shell.ends_with("/false")
                || shell == "/bin/sync"
                || shell == "/sbin/halt"
                || shell == "/sbin/shutdown";
            let counts = uid == 0 || (uid >= uid_min && uid != NOBODY_UID);
            (counts && !no_login).then(|| LoginUser {
                name: f[0].to_owned(),
                uid,
            })
        })
        .collect()
}

/// The services (of [`SERVICES`]) that refuse users with nothing enrolled.
pub fn denying_services(config: &Config) -> Vec<&'static str> {
    SERVICES
        .iter()
        .copied()
        .filter(|s| config.unenrolled_for(s) == Unenrolled::Deny)
        .collect()
}

/// What the users check found: the lockout risks apart from the rest.
#[derive(Debug, Default)]
pub struct UserFindings {
    /// A WARN for each user who would be refused (nothing enrolled where the policy denies), or
    /// whom the daemon could not be asked about.
    pub lockouts: Vec<Finding>,
    /// Locked users, or the one OK line; a SKIP when the daemon cannot be asked at all.
    pub others: Vec<Finding>,
}

impl UserFindings {
    pub fn other(finding: Finding) -> Self {
        UserFindings {
            lockouts: Vec::new(),
            others: vec![finding],
        }
    }
}

/// Asks the daemon about each user; WARN for nothing enrolled (where denied) and for locked.
pub async fn check(
    conn: &zbus::Connection,
    config: &Config,
    users: &[LoginUser],
    lang: Language,
) -> UserFindings {
    let denying = denying_services(config);
    let admin = match timed(lang, AdminProxy::new(conn)).await {
        Ok(a) => a,
        Err(e) => {
            return UserFindings::other(Finding::skip(tr!(lang, Msg::UsersNoAdmin, error = e)));
        }
    };
    let mut lockouts = Vec::new();
    let mut out = Vec::new();
    let mut fine = Vec::new();
    for user in users {
        let status = match timed(lang, admin.status(&user.name)).await {
            Ok(s) => s,
            Err(e) => {
                lockouts.push(Finding::warn(
                    tr!(lang, Msg::UsersCannotAsk, user = user.name, error = e),
                    format!("mfa admin status {}", user.name),
                ));
                continue;
            }
        };
        let nothing = status.get("methods").is_none_or(|m| m.trim().is_empty());
        let locked = status.get("locked").is_some_and(|l| l == "yes");
        if nothing && !denying.is_empty() {
            // Root's way in when all else fails is the console.
            let msg = if user.uid == 0 && denying.contains(&"login") {
                Msg::UsersRootNothingEnrolled
            } else {
                Msg::UsersNothingEnrolled
            };
            lockouts.push(Finding::warn(
                tr!(
                    lang,
                    msg,
                    user = user.name,
                    uid = user.uid,
                    services = list(&denying, lang)
                ),
                format!("mfa admin enroll-totp {}", user.name),
            ));
        } else if locked {
            out.push(Finding::warn(
                tr!(lang, Msg::UsersLocked, user = user.name, uid = user.uid),
                format!("mfa admin unlock {}", user.name),
            ));
        } else {
            fine.push(user.name.as_str());
        }
    }
    if out.is_empty() && lockouts.is_empty() {
        let policy = if denying.is_empty() {
            Msg::UsersAllowed.text(lang).to_owned()
        } else {
            tr!(
                lang,
                Msg::UsersAllCanLogIn(fine.len() as u64),
                count = fine.len()
            )
        };
        let users = if fine.is_empty() {
            Msg::UsersNoneFound.text(lang).to_owned()
        } else {
            fine.join(", ")
        };
        out.push(Finding::ok(tr!(
            lang,
            Msg::UsersOk,
            policy = policy,
            users = users
        )));
    }
    UserFindings {
        lockouts,
        others: out,
    }
}

/// "login, sshd, su and sudo".
fn list(items: &[&str], lang: Language) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), Msg::And.text(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
svc:x:999:999::/var/lib/svc:/bin/bash
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001::/home/bob:/usr/sbin/nologin
carol:x:1002:1002::/home/carol:/bin/false
dave:x:1003:1003::/home/dave:
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
# comment
+@netgroup
broken line
";

    #[test]
    fn login_users_are_root_and_regular_users_with_a_shell() {
        let names: Vec<String> = login_users(PASSWD, 1000)
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["root", "alice", "dave"]);
    }

    #[test]
    fn uid_min_comes_from_login_defs() {
        assert_eq!(
            uid_min("# UID_MIN 5\nUID_MIN\t\t\t 2000\nUID_MAX 60000\n"),
            2000
        );
        assert_eq!(uid_min(""), 1000);
        let names: Vec<String> = login_users(PASSWD, 1001)
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["root", "dave"]);
    }

    #[test]
    fn services_that_deny_unenrolled_users_follow_the_policy() {
        let deny = Config::parse("").unwrap();
        assert_eq!(denying_services(&deny), ["login", "sshd", "su", "sudo"]);
        let sudo_allows = Config::parse("[services.sudo]\nunenrolled = \"allow\"\n").unwrap();
        assert_eq!(denying_services(&sudo_allows), ["login", "sshd", "su"]);
        let allow = Config::parse("[policy]\nunenrolled = \"allow\"\n").unwrap();
        assert!(denying_services(&allow).is_empty());
        let sshd_denies = Config::parse(
            "[policy]\nunenrolled = \"allow\"\n[services.sshd]\nunenrolled = \"deny\"\n",
        )
        .unwrap();
        assert_eq!(denying_services(&sshd_denies), ["sshd"]);
    }

    #[test]
    fn services_are_listed_as_a_sentence() {
        assert_eq!(
            list(&["login", "sshd", "su", "sudo"], Language::En),
            "login, sshd, su and sudo"
        );
        assert_eq!(list(&["sshd", "sudo"], Language::Nl), "sshd en sudo");
        assert_eq!(list(&["sshd"], Language::En), "sshd");
    }
}
