//! The second-factor methods, one folder each: its login stages, texts, gateway and checks.

pub mod code;
pub mod push;
pub mod sms;
pub mod voice;
