//! What the benchmark reads about processes and the machine: the monotonic clock (shared by all
//! driver processes, so their start and end times compare), thread counts, memory, load.

use std::path::Path;

/// CLOCK_MONOTONIC in nanoseconds: one clock for every process on the machine.
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64) * 1_000_000_000 + ts.tv_nsec as u64
}

/// Threads of this process (entries of /proc/self/task).
pub fn own_threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// A `kB` field of /proc/<pid>/status (VmRSS, VmHWM), in KiB.
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kib(&status, field)
}

fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Starts the process's VmHWM afresh from its current RSS (`5` in clear_refs, Linux >= 4.0),
/// so a later VmHWM is the peak of what came after, not of start-up.
pub fn reset_peak_rss(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// Threads of another process, from /proc/<pid>/status.
pub fn threads_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:")?.trim().parse().ok())
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

pub fn kernel() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

pub fn filesystem_of(path: &Path) -> String {
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return "?".into();
    };
    // SAFETY: statfs fills the zeroed struct for a valid NUL-terminated path.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c_path.as_ptr(), &mut st) } != 0 {
        return "?".into();
    }
    match st.f_type as u64 {
        0xEF53 => "ext2/3/4".into(),
        0x0102_1994 => "tmpfs (fsync is a no-op)".into(),
        0x9123_683E => "btrfs".into(),
        0x5846_5342 => "xfs".into(),
        0x794C_7630 => "overlayfs".into(),
        other => format!("f_type {other:#x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_kib() {
        let status = "Name:\tmfad\nVmHWM:\t   9000 kB\nVmRSS:\t    8120 kB\nThreads:\t3\n";
        assert_eq!(parse_status_kib(status, "VmRSS"), Some(8120));
        assert_eq!(parse_status_kib(status, "VmHWM"), Some(9000));
        assert_eq!(parse_status_kib(status, "VmSwap"), None);
    }

    #[test]
    fn this_process_has_at_least_one_thread_and_a_running_clock() {
        assert!(own_threads() >= 1);
        let a = monotonic_ns();
        assert!(monotonic_ns() >= a);
    }
}
