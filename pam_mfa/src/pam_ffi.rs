//! The libpam calls pam-bindings does not wrap (or wraps without a way to set a secret).

use pam::module::PamHandle;
use std::ffi::{CString, c_char, c_int, c_uint, c_void};
use zeroize::Zeroizing;

unsafe extern "C" {
    fn pam_syslog(pamh: *const PamHandle, priority: c_int, fmt: *const c_char, ...);
    fn pam_fail_delay(pamh: *mut PamHandle, usec: c_uint) -> c_int;
    fn pam_set_item(pamh: *mut PamHandle, item_type: c_int, item: *const c_void) -> c_int;
}

/// PAM_AUTHTOK's item number (security/_pam_types.h).
const PAM_AUTHTOK: c_int = 6;
const PAM_SUCCESS: c_int = 0;

/// Sets PAM_AUTHTOK for the modules after this one. libpam keeps its own copy (and wipes it at
/// pam_end); ours is wiped on return. False when the password holds a NUL byte (it could not be
/// passed whole) or libpam refused.
pub fn set_authtok(pamh: &mut PamHandle, password: &[u8]) -> bool {
    if password.contains(&0) {
        return false;
    }
    let mut terminated = Zeroizing::new(Vec::with_capacity(password.len() + 1));
    terminated.extend_from_slice(password);
    terminated.push(0);
    let rc = unsafe {
        pam_set_item(
            pamh as *mut PamHandle,
            PAM_AUTHTOK,
            terminated.as_ptr().cast::<c_void>(),
        )
    };
    rc == PAM_SUCCESS
}

/// Log through libpam (authpriv, prefixed with the module and service name).
pub fn log(pamh: &PamHandle, priority: c_int, message: &str) {
    let clean: String = message
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if let Ok(msg) = CString::new(clean) {
        unsafe {
            pam_syslog(
                pamh as *const PamHandle,
                priority,
                c"%s".as_ptr(),
                msg.as_ptr(),
            )
        };
    }
}

/// Ask libpam to delay a failed login (the longest delay any module asked for wins).
pub fn fail_delay(pamh: &mut PamHandle, micros: u32) {
    unsafe { pam_fail_delay(pamh as *mut PamHandle, micros) };
}
