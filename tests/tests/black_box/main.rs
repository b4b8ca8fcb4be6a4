//! The black-box tests in one binary (each binary links the whole daemon library, so one link
//! instead of one per file): a private dbus-daemon, the real mfad, the real pam_mfa.so through
//! libpam and the real CLI, one module per feature.
//!
//! Files that must have the process to themselves stay separate binaries in `tests/tests/`:
//! they count the process's threads (`host_safety`), set its environment (`user_name_case`),
//! load the machine on purpose (`cpu_flood`, `session_quotas`, `web_slowloris`), inject panics
//! (`panic_boundaries`) or bound how long a login may take (`failure_modes`, `departed_callers`).
//!
//! Run one module with a filter: `cargo test -p mfa_tests --test black_box sms::`.

mod actionable_errors;
mod admin_cli;
mod admin_json;
mod admin_list_reset_log;
mod audit_record;
mod authorization;
mod backup_codes;
mod bench_driver;
mod browser_harness;
mod bus_name;
mod cli_languages;
mod completions;
mod config_check;
mod config_check_secrets;
mod desktop_module;
mod doctor;
mod doctor_desktop;
mod durability;
mod empty_answer;
mod every_method_visible;
mod exec_gateway_kind;
mod failmode;
mod fake_mfad;
mod fleet;
mod fleet_confirmations;
mod fleet_crash;
mod fleet_pool;
mod fleet_setup;
mod fleet_step_guard;
mod golden_enrollment;
mod golden_logins;
mod golden_refusals;
mod google_authenticator_import;
mod harness_smoke;
mod http_gateway_kind;
mod introspection;
mod limits;
mod malformed_daemon;
mod man_pages;
mod metrics;
mod module_log_escaping;
mod oneline_render;
mod policy;
mod push_browser;
mod push_page_security;
mod qr_decodes;
mod reload;
mod self_enrollment;
mod service_methods;
mod sms;
mod sshd_e2e;
mod systemd_unit;
mod totp_login;
mod totp_reenrollment;
mod unknown_accounts;
mod voice;
