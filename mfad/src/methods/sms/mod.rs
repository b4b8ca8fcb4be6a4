//! A code sent by text message to the user's verified number.

pub mod gateway;
pub mod port;
