//! The parts of the configuration a reload cannot change: they were used once, at start-up
//! (the state directory opened, the session table sized, the web and metrics listeners bound, the gateways
//! and their secrets handed to the senders). A reload keeps their running values and says so.

use crate::config::Config;

/// `new` with every restart-only part put back to its value in `running`, and the names of
/// the parts that differed (each "needs a restart").
pub fn keep_running_values(running: &Config, new: &Config) -> (Config, Vec<&'static str>) {
    let mut kept = new.clone();
    let mut changed = Vec::new();
    macro_rules! keep {
        ($($field:ident).+, $name:expr) => {
            if kept.$($field).+ != running.$($field).+ {
                kept.$($field).+ = running.$($field).+.clone();
                changed.push($name);
            }
        };
    }
    keep!(daemon.state_dir, "daemon.state_dir");
    keep!(daemon.max_sessions, "daemon.max_sessions");
    keep!(daemon.session_timeout, "daemon.session_timeout");
    keep!(web, "[web]");
    keep!(gateways, "[gateways]");
    keep!(sms, "[sms]");
    keep!(voice, "[voice]");
    keep!(push, "[push]");
    keep!(budgets, "[budgets]");
    // The store (its kind, database, keys and pool) is opened once; a reload cannot swap it.
    keep!(store, "[store]");
    // The metrics endpoint is bound once, like the web listener.
    keep!(metrics, "[metrics]");
    (kept, changed)
}

#[cfg(test)]
mod tests {
    use super::keep_running_values;
    use crate::config::Config;
    use std::path::PathBuf;

    #[test]
    fn a_new_state_dir_is_kept_for_a_restart_but_new_limits_apply() {
        let running = Config::default();
        let mut new = Config::default();
        new.daemon.state_dir = PathBuf::from("/elsewhere");
        new.limits.max_failures = 4;
        let (kept, changed) = keep_running_values(&running, &new);
        assert_eq!(kept.daemon.state_dir, running.daemon.state_dir);
        assert_eq!(kept.limits.max_failures, 4);
        assert_eq!(changed, vec!["daemon.state_dir"]);
    }

    #[test]
    fn a_reload_keeps_the_running_store_and_says_it_needs_a_restart() {
        let running = Config::default();
        let mut new = Config::default();
        new.store.kind = crate::config::StoreKind::Postgres;
        new.store.pool_size = running.store.pool_size + 1;
        let (kept, changed) = keep_running_values(&running, &new);
        assert_eq!(kept.store, running.store);
        assert_eq!(changed, vec!["[store]"]);
    }

    #[test]
    fn a_reload_keeps_the_bound_metrics_endpoint_and_says_it_needs_a_restart() {
        let running = Config::default();
        let mut new = Config::default();
        let socket = crate::config::MetricsListen::Unix(PathBuf::from("/run/mfad/m.sock"));
        new.metrics.listen = Some(socket);
        let (kept, changed) = keep_running_values(&running, &new);
        assert_eq!(kept.metrics, running.metrics);
        assert_eq!(changed, vec!["[metrics]"]);
    }
}
