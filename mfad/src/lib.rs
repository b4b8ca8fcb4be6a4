//! mfad: the daemon that decides every second-factor question; the black-box tests use a few
//! of its modules. The `mfa` CLI is crate `mfa_cli` and links none of this.

pub mod admin;
pub mod argon2_phc;
pub mod audit;
pub mod auth;
pub mod budgets;
pub mod bus;
pub mod clock;
/// The configuration lives in its own crate, shared with the `mfa` CLI.
pub use mfa_config as config;
pub mod delivery;
pub mod enroll;
pub mod gateways;
pub mod heavy;
pub mod limits;
pub mod lock;
pub mod login_context;
pub mod methods;
pub mod metrics;
pub mod oob;
pub mod panic_inject;
pub mod phone;
pub mod private_files;
pub mod running;
pub mod sessions;
pub mod startup;
pub mod store;
pub mod texts;
pub mod web;

// The code method's pieces under their old paths, for users outside the crate (the benches).
pub use methods::code::{backup_codes, totp};
