//! The code prompt: a TOTP code from an authenticator app or a backup code, typed at one
//! prompt and checked together.

pub mod backup_codes;
pub(crate) mod check;
mod heavy_check;
pub mod totp;
