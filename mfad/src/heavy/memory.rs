//! Give memory back after a flood: glibc keeps freed heap blocks for reuse, and Argon2's 19 MiB
//! blocks from a burst of hashes would stay in the daemon's RSS for good. Blocks of 1 MiB and
//! more are mapped on their own and returned to the system when freed.

/// Call once at start-up, before the first hash.
pub fn return_big_blocks_to_the_system() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only tunes the allocator; it is called before any thread hashes.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}
