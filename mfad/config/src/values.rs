//! Reading typed values out of the parsed file. Each reader checks the TOML type and the range,
//! records a [`Problem`] with the key and line when it is wrong, and returns `None` then.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problems::{Problem, line_of, quote};

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// Collects the problems found while reading one file.
pub(super) struct Reader<'t> {
    text: &'t str,
    pub problems: Vec<Problem>,
    seen: BTreeMap<String, Seen>,
    /// Names a key listed, each with its line (the gateways of `[sms]`, `[voice]` and `[push]`),
    /// for the checks that compare them with the gateways declared.
    pub listed: BTreeMap<String, Vec<(String, usize)>>,
}

impl<'t> Reader<'t> {
    pub fn new(text: &'t str) -> Self {
        Reader {
            text,
            problems: Vec::new(),
            seen: BTreeMap::new(),
            listed: BTreeMap::new(),
        }
    }

    pub fn line(&self, span: Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    pub fn report(&mut self, key: &str, span: Range<usize>, message: impl Into<String>) {
        let line = self.line(span);
        self.problems.push(Problem::new(key, Some(line), message));
    }

    pub fn wrong_type(&mut self, key: &str, v: &Value<'_>, expected: &str) {
        let found = v.get_ref();
        let mut message = format!("expected {expected}, found {}", article(found.type_str()));
        if let (DeValue::String(s), "an integer") = (found, expected)
            && s.trim().parse::<i64>().is_ok()
        {
            message.push_str(&format!(": write {} without quotes", s.trim()));
        }
        self.report(key, v.span(), message);
    }

    pub fn table<'a, 'i>(&mut self, key: &str, v: &'a Value<'i>) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(key, v, "a table");
                None
            }
        }
    }

    pub fn string<'a>(&mut self, key: &str, v: &'a Value<'_>) -> Option<&'a str> {
        match v.get_ref() {
            DeValue::String(s) => Some(s),
            _ => {
                self.wrong_type(key, v, "a string");
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str, v: &Value<'_>) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "true or false");
                None
            }
        }
    }

    /// An integer in `range`, as written (decimal, hex, octal or binary; `_` separators allowed).
    pub fn int(&mut self, key: &str, v: &Value<'_>, range: RangeInclusive<u64>) -> Option<u64> {
        let n = self.integer(key, v)?;
        self.in_range(key, v.span(), n, range)
    }

    /// Any integer, not yet range-checked.
    pub fn integer(&mut self, key: &str, v: &Value<'_>) -> Option<i128> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(key, v, "an integer");
            return None;
        };
        let n = i128::from_str_radix(i.as_str(), i.radix()).ok();
        if n.is_none() {
            let message = format!("{} is not a valid integer", quote(&i.to_string()));
            self.report(key, v.span(), message);
        }
        n
    }

    pub fn in_range(
        &mut self,
        key: &str,
        span: Range<usize>,
        n: i128,
        range: RangeInclusive<u64>,
    ) -> Option<u64> {
        let (lo, hi) = (*range.start(), *range.end());
        if n < i128::from(lo) {
            self.report(
                key,
                span,
                format!("{n} is less than {lo} (allowed: {lo}..={hi})"),
            );
            None
        } else if n > i128::from(hi) {
            self.report(
                key,
                span,
                format!("{n} is more than {hi} (allowed: {lo}..={hi})"),
            );
            None
        } else {
            u64::try_from(n).ok()
        }
    }

    /// One of a few words (`"en"`, `"deny"`, `"SHA256"` ...), case-insensitive.
    pub fn word<T>(&mut self, key: &str, v: &Value<'_>) -> Option<T>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let s = self.string(key, v)?;
        match s.parse::<T>() {
            Ok(t) => Some(t),
            Err(e) => {
                self.report(key, v.span(), format!("{} is not allowed: {e}", quote(s)));
                None
            }
        }
    }

    /// An absolute directory path without `..`, NUL or control characters, other than `/`.
    pub fn dir(&mut self, key: &str, v: &Value<'_>) -> Option<PathBuf> {
        let s = self.string(key, v)?;
        let root = "is the root directory; use a directory of its own, like \"/var/lib/mfa\"";
        self.path(key, v, s, root)
    }

    /// An absolute file path, by the same rules as [`Reader::dir`].
    pub fn file(&mut self, key: &str, v: &Value<'_>) -> Option<PathBuf> {
        let s = self.string(key, v)?;
        self.path(key, v, s, "is the root directory, not a file")
    }

    fn path(&mut self, key: &str, v: &Value<'_>, s: &str, root: &str) -> Option<PathBuf> {
        let path = Path::new(s);
        let why = if !path.is_absolute() {
            "is not an absolute path (it must start with /)"
        } else if path.components().any(|c| c == Component::ParentDir) {
            "contains \"..\"; write the path without it"
        } else if s.chars().any(char::is_control) {
            "contains a control character"
        } else if path.parent().is_none() {
            root
        } else if s.len() > 1024 {
            "is longer than 1024 bytes"
        } else {
            return Some(path.to_path_buf());
        };
        self.report(key, v.span(), format!("{} {why}", quote(s)));
        None
    }
}

impl Reader<'_> {
    /// An array whose items are all strings: each with its span. Every item of the wrong type is
    /// reported, with its own line.
    pub fn strings(&mut self, key: &str, v: &Value<'_>) -> Option<Vec<(String, Range<usize>)>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), item.span())),
                _ => {
                    self.wrong_type(key, item, "a string");
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// Remembers that `key` was set at `span` (`ok`) or had an error, for the cross-field checks.
    pub fn mark(&mut self, key: &str, span: Range<usize>, ok: bool) {
        let seen = if ok {
            Seen::At(self.line(span))
        } else {
            Seen::Bad
        };
        self.seen.insert(key.to_owned(), seen);
    }

    /// Where `key` was set: [`Seen::Default`] when the file leaves it out.
    pub fn seen(&self, key: &str) -> Seen {
        self.seen.get(key).copied().unwrap_or_default()
    }
}

/// The entries of a table in the order the file has them (the parser sorts them by name).
pub(super) fn in_file_order<'a, 'i>(
    t: &'a DeTable<'i>,
) -> Vec<(&'a Spanned<std::borrow::Cow<'i, str>>, &'a Value<'i>)> {
    let mut entries: Vec<_> = t.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// Where a key was set, for the cross-field checks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) enum Seen {
    /// Not in the file: the default applies.
    #[default]
    Default,
    /// Set, correctly, on this line.
    At(usize),
    /// Set, but with an error of its own (cross-checks are skipped).
    Bad,
}

impl Seen {
    pub fn line(self) -> Option<usize> {
        match self {
            Seen::At(line) => Some(line),
            _ => None,
        }
    }
}

fn article(type_name: &str) -> String {
    let an = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if an { "an" } else { "a" })
}
