//! A challenge call to the user's verified number, confirmed on its keypad.

pub mod gateway;
mod login;
pub mod port;
pub mod texts;
