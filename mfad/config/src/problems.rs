//! One thing wrong with the config, and the helpers that make its message readable and safe to
//! print (keys and values from the file are quoted, escaped and shortened).

use std::fmt;

/// One problem in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path like `limits.max_failures`, or "" for the file as a whole.
    pub key: String,
    /// 1-based line in the file, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(key: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            key: key.into(),
            line,
            message: message.into(),
        }
    }

    /// A problem with the file itself (missing, unsafe permissions, too large ...).
    pub fn file(message: impl Into<String>) -> Self {
        Problem::new("", None, message)
    }
}

/// `line N: key: message`; parts that are absent are left out. The caller prefixes the path.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let before = bytes.get(..offset).unwrap_or(bytes);
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

/// Longest key or value echoed back in a message, in characters.
const MAX_ECHO: usize = 60;

/// A string from the file, double-quoted, escaped and shortened for a message.
pub(super) fn quote(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(MAX_ECHO)
        .collect::<String>()
        .escape_debug()
        .collect();
    if s.chars().nth(MAX_ECHO).is_some() {
        out.push_str("...");
    }
    format!("\"{out}\"")
}

/// One segment of a dotted key: bare if TOML allows it bare, else quoted.
pub(super) fn segment(s: &str) -> String {
    let bare = !s.is_empty()
        && s.len() <= MAX_ECHO
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { s.to_owned() } else { quote(s) }
}

/// `parent.child`, with `child` quoted if needed; just `child` at the top level.
pub(super) fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        segment(child)
    } else {
        format!("{parent}.{}", segment(child))
    }
}

/// `"a", "b" or "c"`: the allowed words, for a message.
pub(super) fn one_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub(super) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if word.chars().count() > MAX_ECHO {
        return None;
    }
    let word = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&word, c), *c))
        .filter(|&(d, c)| d <= 2 && d < c.len().min(word.len()).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
