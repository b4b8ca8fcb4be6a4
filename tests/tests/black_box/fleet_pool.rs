//! A daemon's database connections under its own load: no login holds one pooled connection
//! while it waits for a second (a few concurrent answers would then take every connection and
//! wait on each other until the timeout), and a pool that is merely busy is not an outage: the
//! circuit breaker, which shuts every login out for a while, counts only a database that does
//! not answer.

use mfa_tests::*;

use crate::fleet_setup::migrated_fleet;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn answers_for_unknown_names_never_wait_on_a_second_connection_nor_shut_out_enrolled_users() {
    // One connection: any answer that holds it while asking for another waits the whole
    // timeout; three such waits in a row would open the breaker for everyone.
    let (db, fleet) = migrated_fleet("pool_size = 1\n");
    let (bus, daemon, pam) = fleet.host();
    let user = "mfa-pool-alice";
    ensure_user(user);
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);

    for i in 0..4 {
        let (rc, transcript) = pam.login(&format!("mfa-pool-ghost{i}"), &["000000"]);
        assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}\n{}", daemon.log());
    }
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, transcript) = pam.login(user, &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{transcript}\n{}", daemon.log());

    let log = daemon.log();
    for sign_of_a_wait in ["stayed busy", "unreachable", "waiting for a slot"] {
        assert!(!log.contains(sign_of_a_wait), "{sign_of_a_wait}:\n{log}");
    }
    // The decoy writes for the unknown names reached the database.
    let decoys = mfa_tests::postgres::shared().psql(&db.name, "SELECT sum(n) FROM decoy");
    assert!(
        decoys.trim().parse::<u64>().is_ok_and(|n| n >= 4),
        "decoy writes: {decoys}"
    );
}
