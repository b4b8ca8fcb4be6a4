//! The module's arguments from the pam.d line (root-owned, so trusted; the environment is not).
//! The parser lives in the protocol crate so that `mfa doctor` judges a line exactly as the
//! module does.

pub use mfa_proto::module_args::{DEFAULT_TIMEOUT, FailMode, ModuleArgs, Unavail, parse};
