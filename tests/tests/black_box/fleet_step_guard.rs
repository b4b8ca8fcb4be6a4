//! The PostgreSQL store's replay guard on its own: a login's commit raises the user's TOTP step
//! with one conditional `UPDATE … WHERE totp_last_step < $step RETURNING`, and no row back (as
//! when another decision took that step first) must fail the commit: the login is answered
//! "unavailable", never granted, and nothing of it is written.

use mfa_tests::postgres;
use mfa_tests::*;

use crate::fleet_setup::migrated_fleet;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// A trigger that makes every update raising a step change no row: the conditional update's
/// `RETURNING` comes back empty, as when the step was taken between the read and the write.
const STEP_ALREADY_TAKEN: &str = "\
    CREATE FUNCTION step_already_taken() RETURNS trigger LANGUAGE plpgsql AS \
    $$ BEGIN RETURN NULL; END $$; \
    CREATE TRIGGER step_already_taken BEFORE UPDATE ON users FOR EACH ROW \
    WHEN (NEW.totp_last_step > OLD.totp_last_step) EXECUTE FUNCTION step_already_taken();";

#[test]
fn a_step_update_that_changes_no_row_fails_the_login_closed_and_writes_nothing() {
    let (db, fleet) = migrated_fleet("");
    let (bus, daemon, pam) = fleet.host();
    let user = "mfa-fleet-guard";
    ensure_user(user);
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    let server = postgres::shared();
    let row = || {
        server.psql(
            &db.name,
            &format!("SELECT totp_last_step, record::text FROM users WHERE name = '{user}'"),
        )
    };
    let before = row();
    server.psql(&db.name, STEP_ALREADY_TAKEN);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, t) = pam.login(user, &[&code]);
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}\n{}", daemon.log());
    assert!(
        daemon.log().contains("was already used (replay refused)"),
        "{}",
        daemon.log()
    );
    assert!(
        !daemon.log().contains("outcome=granted"),
        "{}",
        daemon.log()
    );
    assert_eq!(row(), before, "the failed commit wrote nothing");
    // With the guard's update working again, the same code is still unused, then used.
    server.psql(&db.name, "DROP TRIGGER step_already_taken ON users");
    let (rc, t) = pam.login(user, &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let (rc, t) = pam.login(user, &[&code]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "a replay now: {t}");
}
