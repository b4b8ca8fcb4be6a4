//! `Include` patterns: `*` and `?` expanded as glob(3) does.

use std::fs;
use std::path::{Path, PathBuf};

/// Expands `*` and `?` in any component of an absolute path, like glob(3): sorted, hidden files
/// only for patterns starting with `.`, only paths that exist.
pub fn glob(pattern: &Path) -> Vec<PathBuf> {
    let mut found = vec![PathBuf::from("/")];
    for part in pattern.components().skip(1) {
        let part = part.as_os_str().to_string_lossy();
        let wild = part.contains(['*', '?']);
        let mut next = Vec::new();
        for dir in &found {
            if !wild {
                next.push(dir.join(part.as_ref()));
                continue;
            }
            let Ok(list) = fs::read_dir(dir) else {
                continue;
            };
            let mut names: Vec<String> = list
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| (!n.starts_with('.') || part.starts_with('.')) && wildcard(&part, n))
                .collect();
            names.sort();
            next.extend(names.iter().map(|n| dir.join(n)));
        }
        found = next;
    }
    found.retain(|p| p.exists());
    found
}

/// Shell-style match of `*` (any run) and `?` (one character).
pub(super) fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}
