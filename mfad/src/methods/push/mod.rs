//! A notification approved on the user's phone, through the approval page.

pub mod gateway;
mod login;
pub mod pin;
pub mod port;
pub mod texts;
