//! libpam's application-side C interface: constants, structs and functions.

use std::ffi::{c_char, c_int, c_void};

// Item types for pam_set_item.
pub(super) const PAM_TTY: c_int = 3;
pub(super) const PAM_RHOST: c_int = 4;
pub(super) const PAM_RUSER: c_int = 8;

// Message styles.
pub(super) const PAM_PROMPT_ECHO_OFF: c_int = 1;
pub(super) const PAM_PROMPT_ECHO_ON: c_int = 2;
pub(super) const PAM_ERROR_MSG: c_int = 3;
pub(super) const PAM_TEXT_INFO: c_int = 4;

/// Linux-PAM refuses more messages than this in one call; so do we.
pub(super) const PAM_MAX_NUM_MSG: c_int = 32;
/// Longest answer handed back to a module (Linux-PAM's PAM_MAX_RESP_SIZE).
pub const MAX_RESPONSE_LEN: usize = 512;

#[repr(C)]
pub(super) struct PamMessage {
    pub(super) msg_style: c_int,
    pub(super) msg: *const c_char,
}

#[repr(C)]
pub(super) struct PamResponse {
    pub(super) resp: *mut c_char,
    pub(super) resp_retcode: c_int,
}

pub(super) type ConvFn = unsafe extern "C" fn(
    num_msg: c_int,
    msg: *mut *const PamMessage,
    resp: *mut *mut PamResponse,
    appdata_ptr: *mut c_void,
) -> c_int;

#[repr(C)]
pub(super) struct PamConv {
    pub(super) conv: Option<ConvFn>,
    pub(super) appdata_ptr: *mut c_void,
}

#[repr(C)]
pub(super) struct PamHandle {
    _opaque: [u8; 0],
}

#[link(name = "pam")]
unsafe extern "C" {
    pub(super) fn pam_start(
        service_name: *const c_char,
        user: *const c_char,
        pam_conversation: *const PamConv,
        pamh: *mut *mut PamHandle,
    ) -> c_int;
    pub(super) fn pam_start_confdir(
        service_name: *const c_char,
        user: *const c_char,
        pam_conversation: *const PamConv,
        confdir: *const c_char,
        pamh: *mut *mut PamHandle,
    ) -> c_int;
    pub(super) fn pam_set_item(
        pamh: *mut PamHandle,
        item_type: c_int,
        item: *const c_void,
    ) -> c_int;
    pub(super) fn pam_authenticate(pamh: *mut PamHandle, flags: c_int) -> c_int;
    pub(super) fn pam_acct_mgmt(pamh: *mut PamHandle, flags: c_int) -> c_int;
    pub(super) fn pam_setcred(pamh: *mut PamHandle, flags: c_int) -> c_int;
    pub(super) fn pam_end(pamh: *mut PamHandle, pam_status: c_int) -> c_int;
    pub(super) fn pam_strerror(pamh: *mut PamHandle, errnum: c_int) -> *const c_char;
}
