//! The login benchmark (`mfa-bench`, run by scripts/bench.sh) still works: a tiny plan through
//! the real parts lets every right code in and refuses every wrong one, for the strict
//! pam_google_authenticator and for pam_mfa. Timing is never asserted.

use std::process::Command;

/// One line of the benchmark's table: drivers, module, code; count, ok, fail.
type Row = ((String, String, String), (usize, usize, usize));

fn rows(report: &str) -> Vec<Row> {
    report
        .lines()
        .filter_map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            if w.len() != 10 || !["right", "wrong"].contains(&w[2]) {
                return None;
            }
            let n = |i: usize| w[i].parse::<usize>().ok();
            let key = (w[0].to_string(), w[1].to_string(), w[2].to_string());
            Some((key, (n(3)?, n(4)?, n(5)?)))
        })
        .collect()
}

#[test]
fn the_login_benchmark_lets_right_codes_in_and_keeps_wrong_ones_out_on_one_and_two_drivers() {
    let out = Command::new(env!("CARGO_BIN_EXE_mfa-bench"))
        .args(["--users", "12", "--logins", "4", "--rounds", "1"])
        .args(["--levels", "1,2", "--sms-hang", "3"])
        .output()
        .expect("run mfa-bench");
    let report = String::from_utf8_lossy(&out.stdout);
    let context = format!("{report}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "mfa-bench failed:\n{context}");
    let rows = rows(&report);
    assert_eq!(rows.len(), 12, "3 modules x 2 codes x 2 levels:\n{context}");
    for ((drivers, module, code), (count, ok, fail)) in &rows {
        assert_eq!(*count, 4, "{drivers} {module} {code}:\n{context}");
        let all_in = module == "pam_permit" || code == "right";
        let expected = if all_in { (4, 0) } else { (0, 4) };
        assert_eq!(
            (*ok, *fail),
            expected,
            "{drivers} {module} {code}:\n{context}"
        );
    }
    assert!(
        report.contains("threads pam_mfa left in a driver after a login: "),
        "{context}"
    );
    assert!(
        report.contains("3 texts hanging at a dead gateway"),
        "{context}"
    );
}
