//! The two libpam calls pam-bindings does not wrap.

use pam::module::PamHandle;
use std::ffi::{CString, c_char, c_int, c_uint};

unsafe extern "C" {
    fn pam_syslog(pamh: *const PamHandle, priority: c_int, fmt: *const c_char, ...);
    fn pam_fail_delay(pamh: *mut PamHandle, usec: c_uint) -> c_int;
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
