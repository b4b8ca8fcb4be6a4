//! Reading the record back for `mfa admin log`: the last lines of every generation of both
//! files, merged by time, without trusting the files' names or sizes.

use super::{Entry, FILE_NAME, GENERATIONS, MAX_BYTES, USER_FILE_NAME, USER_GENERATIONS};
use std::collections::VecDeque;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Reads at most `cap` bytes from the end of `path`, starting at a line boundary. A missing
/// file is empty.
pub(super) fn read_end(path: &Path, cap: u64) -> std::io::Result<String> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "{}: not a regular file",
            path.display()
        )));
    }
    let skip = meta.len().saturating_sub(cap);
    file.seek(SeekFrom::Start(skip))?;
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes)?;
    if skip > 0 {
        // Started inside a line: drop its rest.
        let start = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| i + 1);
        bytes.drain(..start);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The files of one record, oldest first.
fn generations(name: &str, kept: u32) -> Vec<String> {
    let mut names: Vec<String> = (1..=kept).rev().map(|n| format!("{name}.{n}")).collect();
    names.push(name.to_string());
    names
}

/// The last `n` lines of the record in `dir` (root callers' and non-root callers' files, every
/// generation, merged by time), newest last, only those about `user` when given. Lines that do
/// not parse are left out.
pub fn tail(dir: &Path, user: Option<&str>, n: usize) -> std::io::Result<Vec<String>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut merged = tail_of(dir, &generations(FILE_NAME, GENERATIONS), user, n)?;
    merged.extend(tail_of(
        dir,
        &generations(USER_FILE_NAME, USER_GENERATIONS),
        user,
        n,
    )?);
    // Stable: lines of one second keep their order within each file.
    merged.sort_by_key(|(time, _)| *time);
    let skip = merged.len().saturating_sub(n);
    Ok(merged.into_iter().skip(skip).map(|(_, l)| l).collect())
}

/// The last `n` lines (with their time) of the files `names`, oldest file first.
fn tail_of(
    dir: &Path,
    names: &[String],
    user: Option<&str>,
    n: usize,
) -> std::io::Result<Vec<(u64, String)>> {
    let mut last = VecDeque::with_capacity(n.min(1024));
    // Twice the rotation size: a file that grew otherwise is read from its end only.
    let cap = 2 * MAX_BYTES;
    for name in names {
        let text = read_end(&dir.join(name), cap)?;
        // Only whole lines: a last line without its newline was cut by a crash.
        for line in text
            .split_inclusive('\n')
            .filter_map(|l| l.strip_suffix('\n'))
        {
            let Some(entry) = Entry::parse(line) else {
                continue;
            };
            if user.is_some_and(|u| entry.get("user") != Some(u)) {
                continue;
            }
            if last.len() == n {
                last.pop_front();
            }
            last.push_back((entry.time, line.to_string()));
        }
    }
    Ok(last.into())
}
