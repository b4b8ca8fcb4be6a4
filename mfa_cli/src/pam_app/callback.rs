//! The C conversation callback libpam calls, and the care its answers need (copied into
//! memory libpam frees, wiped on every path).

use super::*;

/// Overwrites a buffer in a way the optimiser keeps.
pub(super) fn wipe(buf: &mut [u8]) {
    for b in buf.iter_mut() {
        // SAFETY: `b` is a valid, aligned &mut u8.
        unsafe { ptr::write_volatile(b, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

/// Copies `answer` into a fresh malloc'd C string (libpam frees it) and wipes the Rust copy.
/// Returns NULL on allocation failure or when the answer is unusable (NUL byte, too long).
pub(super) fn to_c_answer(answer: String) -> *mut c_char {
    let mut bytes = answer.into_bytes();
    let out = if bytes.contains(&0) || bytes.len() > MAX_RESPONSE_LEN {
        ptr::null_mut()
    } else {
        // SAFETY: calloc of len+1 bytes, zero-filled so the copy below is NUL-terminated.
        let p = unsafe { libc::calloc(bytes.len() + 1, 1) }.cast::<c_char>();
        if !p.is_null() {
            // SAFETY: `p` has room for bytes.len() + 1 bytes; the regions do not overlap.
            unsafe { ptr::copy_nonoverlapping(bytes.as_ptr().cast::<c_char>(), p, bytes.len()) };
        }
        p
    };
    wipe(&mut bytes);
    out
}

/// Frees a response array built by the callback, wiping every answer first.
///
/// # Safety
/// `replies` must be a calloc'd array of `n` responses whose `resp` are NULL or malloc'd strings.
pub(super) unsafe fn free_replies(replies: *mut PamResponse, n: usize) {
    for i in 0..n {
        // SAFETY: i < n, inside the array.
        let r = unsafe { &mut *replies.add(i) };
        if !r.resp.is_null() {
            // SAFETY: a NUL-terminated string we allocated.
            let len = unsafe { libc::strlen(r.resp) };
            // SAFETY: `len` bytes are ours to overwrite.
            wipe(unsafe { std::slice::from_raw_parts_mut(r.resp.cast::<u8>(), len) });
            // SAFETY: allocated by calloc.
            unsafe { libc::free(r.resp.cast::<c_void>()) };
            r.resp = ptr::null_mut();
        }
    }
    // SAFETY: allocated by calloc.
    unsafe { libc::free(replies.cast::<c_void>()) };
}

/// The `pam_conv.conv` callback. Never unwinds into libpam.
pub(super) unsafe extern "C" fn conversation_callback(
    num_msg: c_int,
    msg: *mut *const PamMessage,
    resp: *mut *mut PamResponse,
    appdata_ptr: *mut c_void,
) -> c_int {
    if resp.is_null() || msg.is_null() || appdata_ptr.is_null() {
        return codes::PAM_CONV_ERR;
    }
    // SAFETY: `resp` is a valid out-pointer per the PAM contract.
    unsafe { *resp = ptr::null_mut() };
    if !(1..=PAM_MAX_NUM_MSG).contains(&num_msg) {
        return codes::PAM_CONV_ERR;
    }
    let n = num_msg as usize;
    // SAFETY: appdata_ptr is the ConvState we registered; libpam calls us on the thread that
    // called into it, while the Transaction (and so the state) is alive.
    let state = unsafe { &mut *appdata_ptr.cast::<ConvState<'_>>() };
    if state.panic.is_some() {
        return codes::PAM_CONV_ERR;
    }
    // SAFETY: calloc of n responses, zero-initialised (resp NULL, retcode 0). libpam frees it.
    let replies =
        unsafe { libc::calloc(n, std::mem::size_of::<PamResponse>()) }.cast::<PamResponse>();
    if replies.is_null() {
        return codes::PAM_BUF_ERR;
    }
    let result = catch_unwind(AssertUnwindSafe(|| -> bool {
        for i in 0..n {
            // Linux-PAM layout: `msg` is an array of `n` pointers to messages.
            // SAFETY: i < n; each entry points to a valid message per the PAM contract.
            let m = unsafe { *msg.add(i) };
            if m.is_null() {
                return false;
            }
            // SAFETY: non-NULL message pointer.
            let m = unsafe { &*m };
            let Some(style) = Style::from_raw(m.msg_style) else {
                return false; // binary prompts, radio buttons, …: not supported
            };
            let text = if m.msg.is_null() {
                String::new()
            } else {
                // SAFETY: NUL-terminated string owned by the module for the call's duration.
                unsafe { CStr::from_ptr(m.msg) }
                    .to_string_lossy()
                    .into_owned()
            };
            let Some(answer) = state.conv.prompt(style, &text) else {
                return false;
            };
            if style.is_prompt() {
                let c = to_c_answer(answer);
                if c.is_null() {
                    return false;
                }
                // SAFETY: i < n, inside the array.
                unsafe { (*replies.add(i)).resp = c };
            } else {
                let mut bytes = answer.into_bytes();
                wipe(&mut bytes);
            }
        }
        true
    }));
    match result {
        Ok(true) => {
            // SAFETY: hand the array to libpam, which frees it and every string in it.
            unsafe { *resp = replies };
            codes::PAM_SUCCESS
        }
        Ok(false) => {
            // SAFETY: we built `replies` with n entries.
            unsafe { free_replies(replies, n) };
            codes::PAM_CONV_ERR
        }
        Err(payload) => {
            state.panic = Some(payload);
            // SAFETY: as above.
            unsafe { free_replies(replies, n) };
            codes::PAM_CONV_ERR
        }
    }
}
