//! mfad: the daemon that decides every second-factor question, and the library the `mfa` CLI
//! and the black-box tests share with it.

pub mod admin;
pub mod argon2_phc;
pub mod audit;
pub mod auth;
pub mod backup_codes;
pub mod budgets;
pub mod bus;
/// The configuration lives in its own crate, shared with the `mfa` CLI.
pub use mfa_config as config;
pub mod cli;
pub mod delivery;
pub mod enroll;
pub mod gateways;
pub mod heavy;
pub mod limits;
pub mod lock;
pub mod menu_texts;
pub mod oob;
pub mod pam_app;
pub mod panic_inject;
pub mod phone;
pub mod pin;
pub mod push;
pub mod push_texts;
pub mod running;
pub mod sessions;
pub mod sms_delivery;
pub mod startup;
pub mod store;
pub mod texts;
pub mod totp;
pub mod voice;
pub mod voice_texts;
pub mod web;
