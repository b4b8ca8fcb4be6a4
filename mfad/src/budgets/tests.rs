use super::*;
use std::sync::Arc;

const NOW: u64 = 1_800_000_000;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfad-budgets-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const WIDE: Window = Window {
    hour: 1000,
    day: 1000,
};

fn limits() -> BudgetLimits {
    BudgetLimits {
        user: WIDE,
        number: WIDE,
        prefix: WIDE,
        country: WIDE,
        gateway: WIDE,
        nonroot_user: WIDE,
    }
}

fn key<'a>(user: &'a str, number: &'a str) -> SendKey<'a> {
    SendKey {
        user,
        number,
        prefix: "+3161234",
        country: "NL",
        nonroot: false,
    }
}

#[test]
fn user_limit_per_hour_then_per_day() {
    let dir = tempdir("user");
    let limits = BudgetLimits {
        user: Window { hour: 2, day: 3 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    let alice = key("alice", "+31612345678");
    assert_eq!(b.reserve(&alice, NOW), Ok(()));
    assert_eq!(b.reserve(&alice, NOW + 1), Ok(()));
    assert_eq!(b.reserve(&alice, NOW + 2), Err(Refusal::User), "hour full");
    assert_eq!(
        b.reserve(&alice, NOW + HOUR),
        Ok(()),
        "two sends left the hour"
    );
    assert_eq!(
        b.reserve(&alice, NOW + 2 * HOUR),
        Err(Refusal::User),
        "day full"
    );
    assert_eq!(b.reserve(&key("bob", "+31612345679"), NOW + 2), Ok(()));
}

#[test]
fn old_sends_fall_out_of_the_day_window() {
    let dir = tempdir("old");
    let limits = BudgetLimits {
        number: Window { hour: 5, day: 2 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    let k = key("alice", "+31612345678");
    b.reserve(&k, NOW).unwrap();
    b.reserve(&k, NOW + 10).unwrap();
    assert_eq!(b.reserve(&k, NOW + DAY - 1), Err(Refusal::Number));
    assert_eq!(
        b.reserve(&k, NOW + DAY),
        Ok(()),
        "the first send is a day old"
    );
    assert_eq!(b.reserve(&k, NOW + DAY + 1), Err(Refusal::Number));
    assert_eq!(b.reserve(&k, NOW + DAY + 10), Ok(()));
}

#[test]
fn prefix_and_country_budgets_span_numbers_and_users() {
    let dir = tempdir("prefix");
    let limits = BudgetLimits {
        prefix: Window { hour: 2, day: 10 },
        country: Window { hour: 3, day: 10 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    b.reserve(&key("a", "+31612340001"), NOW).unwrap();
    b.reserve(&key("b", "+31612340002"), NOW).unwrap();
    assert_eq!(
        b.reserve(&key("c", "+31612340003"), NOW),
        Err(Refusal::Prefix)
    );
    let other_prefix = SendKey {
        prefix: "+3161299",
        ..key("c", "+31612990003")
    };
    assert_eq!(b.reserve(&other_prefix, NOW), Ok(()));
    let fourth = SendKey {
        prefix: "+3162000",
        ..key("d", "+31620000004")
    };
    assert_eq!(b.reserve(&fourth, NOW), Err(Refusal::Country));
}

#[test]
fn nonroot_callers_get_the_tighter_budget_on_top_of_the_users() {
    let dir = tempdir("nonroot");
    let limits = BudgetLimits {
        user: Window { hour: 4, day: 10 },
        nonroot_user: Window { hour: 2, day: 10 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    let root = key("alice", "+31612345678");
    let nonroot = SendKey {
        nonroot: true,
        ..root
    };
    assert_eq!(b.reserve(&nonroot, NOW), Ok(()));
    assert_eq!(b.reserve(&nonroot, NOW), Ok(()));
    assert_eq!(
        b.reserve(&nonroot, NOW),
        Err(Refusal::User),
        "non-root budget"
    );
    assert_eq!(
        b.reserve(&root, NOW),
        Ok(()),
        "root callers still get through"
    );
    assert_eq!(b.reserve(&root, NOW), Ok(()));
    assert_eq!(
        b.reserve(&root, NOW),
        Err(Refusal::User),
        "user budget counts both"
    );
    // The user budget applies to non-root callers as well.
    let dir = tempdir("nonroot-user");
    let b = Budgets::open(&dir, limits).unwrap();
    for _ in 0..4 {
        b.reserve(&root, NOW).unwrap();
    }
    assert_eq!(b.reserve(&nonroot, NOW), Err(Refusal::User));
}

#[test]
fn a_refused_reserve_counts_nowhere() {
    let dir = tempdir("all-or-nothing");
    let limits = BudgetLimits {
        user: Window { hour: 1, day: 1 },
        number: Window { hour: 1, day: 1 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    b.reserve(&key("alice", "+31612345678"), NOW).unwrap();
    // bob's user budget is fine, the number's is not: nothing may be counted for bob.
    assert_eq!(
        b.reserve(&key("bob", "+31612345678"), NOW),
        Err(Refusal::Number)
    );
    assert_eq!(b.reserve(&key("bob", "+31612345679"), NOW), Ok(()));
    drop(b);
    let text = std::fs::read_to_string(dir.join("budgets.toml")).unwrap();
    assert_eq!(text.matches(&NOW.to_string()).count(), 2 * 4, "{text}");
}

#[test]
fn budgets_survive_a_reopen() {
    let dir = tempdir("reopen");
    let limits = BudgetLimits {
        user: Window { hour: 2, day: 5 },
        gateway: Window { hour: 1, day: 5 },
        ..limits()
    };
    {
        let b = Budgets::open(&dir, limits).unwrap();
        b.reserve(&key("alice", "+31612345678"), NOW).unwrap();
        b.reserve(&key("alice", "+31612345678"), NOW + 1).unwrap();
        b.reserve_gateway("twilio-main", NOW).unwrap();
    }
    let b = Budgets::open(&dir, limits).unwrap();
    assert_eq!(
        b.reserve(&key("alice", "+31612345678"), NOW + 2),
        Err(Refusal::User)
    );
    assert_eq!(
        b.reserve_gateway("twilio-main", NOW + 2),
        Err(Refusal::Gateway)
    );
    assert_eq!(b.reserve(&key("alice", "+31612345678"), NOW + HOUR), Ok(()));
}

#[test]
fn a_corrupt_or_odd_file_is_an_error_at_open() {
    let dir = tempdir("corrupt");
    let path = dir.join("budgets.toml");
    for bad in [
        "",
        "not toml at all {",
        "version = 1\nuser = 3\n",
        "version = 1\n[user]\nalice = [-5]\n",
        "version = 1\n[users]\nalice = [1]\n",
        "version = 2\n",
    ] {
        std::fs::write(&path, bad).unwrap();
        let err = Budgets::open(&dir, limits())
            .err()
            .unwrap_or_else(|| panic!("{bad:?} accepted"));
        assert!(err.contains("budgets.toml"), "{err}");
    }
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &path).unwrap();
    assert!(Budgets::open(&dir, limits()).is_err(), "symlink followed");
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    assert!(Budgets::open(&dir, limits()).is_err(), "directory accepted");
}

#[test]
fn open_removes_its_leftover_temp_files_only() {
    let dir = tempdir("stale");
    let ours = dir.join(".tmp-budgets.toml.00ff");
    let theirs = dir.join(".tmp-other.toml.00ff");
    std::fs::write(&ours, "half").unwrap();
    std::fs::write(&theirs, "half").unwrap();
    Budgets::open(&dir, limits()).unwrap();
    assert!(!ours.exists());
    assert!(theirs.exists());
}

#[test]
fn gateway_budget_is_independent() {
    let dir = tempdir("gateway");
    let limits = BudgetLimits {
        user: Window { hour: 1, day: 1 },
        gateway: Window { hour: 2, day: 3 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    b.reserve(&key("alice", "+31612345678"), NOW).unwrap();
    assert_eq!(b.reserve_gateway("twilio-main", NOW), Ok(()));
    assert_eq!(b.reserve_gateway("twilio-main", NOW), Ok(()));
    assert_eq!(b.reserve_gateway("twilio-main", NOW), Err(Refusal::Gateway));
    assert_eq!(b.reserve_gateway("modem0", NOW), Ok(()));
    assert_eq!(b.reserve(&key("bob", "+31612345679"), NOW), Ok(()));
    assert_eq!(b.reserve_gateway("twilio-main", NOW + HOUR), Ok(()));
    assert_eq!(
        b.reserve_gateway("twilio-main", NOW + 2 * HOUR),
        Err(Refusal::Gateway),
        "day"
    );
}

#[test]
fn a_send_that_cannot_be_recorded_is_refused_and_not_counted() {
    let dir = tempdir("unwritable");
    let limits = BudgetLimits {
        user: Window { hour: 1, day: 1 },
        ..limits()
    };
    let b = Budgets::open(&dir, limits).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let err = b.reserve(&key("alice", "+31612345678"), NOW).unwrap_err();
    assert!(matches!(err, Refusal::Store(_)), "{err:?}");
    assert_eq!(err.as_str(), "store");
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(b.reserve(&key("alice", "+31612345678"), NOW), Ok(()));
}

#[test]
fn a_missing_state_dir_is_an_error_at_open() {
    let dir = tempdir("missing").join("nope");
    assert!(Budgets::open(&dir, limits()).is_err());
}

#[test]
fn concurrent_reserves_never_exceed_the_limit() {
    let dir = tempdir("threads");
    let limits = BudgetLimits {
        user: Window { hour: 5, day: 5 },
        ..limits()
    };
    let b = Arc::new(Budgets::open(&dir, limits).unwrap());
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let b = Arc::clone(&b);
            std::thread::spawn(move || b.reserve(&key("alice", "+31612345678"), NOW).is_ok())
        })
        .collect();
    let granted = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|ok| *ok)
        .count();
    assert_eq!(granted, 5);
}

#[test]
fn refusals_name_the_budget_for_logs() {
    assert_eq!(Refusal::Prefix.as_str(), "prefix");
    assert_eq!(Refusal::User.to_string(), "per-user send budget exhausted");
}
