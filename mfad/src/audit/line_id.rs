//! Every record line of a change carries a line id (`id=`), so that start-up recovery
//! (`store::audit_recovery`) can tell whether it was written.

use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh line id: 16 hex digits, random (a counter with the time if randomness fails).
pub fn new_line_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_ok() {
        return hex::encode(bytes);
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{:08x}{n:08x}", crate::clock::unix_now() & 0xffff_ffff)
}
