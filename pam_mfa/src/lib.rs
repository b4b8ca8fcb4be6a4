//! pam_mfa.so: a thin renderer. It asks mfad (over the system bus) what to show, shows it through
//! the PAM conversation, and maps the daemon's decision to a PAM code. It never lets anyone in by
//! itself (it may only refuse early: input that is not a code, a screen that cannot carry the
//! conversation), never reads the environment, creates no threads and lets no panic reach the
//! host.

pub mod args;
mod client;
mod contained;
pub mod failmode;
pub mod flow;
mod hooks;
pub mod log_line;
mod min_time;
pub mod outcome;
mod owners;
mod pam_ffi;
pub mod single_buffer;

use hooks::MfaHooks;
pam::pam_hooks!(MfaHooks);
