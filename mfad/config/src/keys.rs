//! One source per key. [`table!`] declares a table's struct and, on one line per key, its
//! name, type, default, how it is read (TOML type and allowed range) and its doc. From that it
//! derives the struct, its `Default`, the list of key names (the unknown-key check, did-you-mean
//! and the drift tests against the docs) and the reading of each key with its diagnostics.

use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use super::values::{Reader, Value};

/// Seconds, for the defaults of duration keys.
pub(crate) const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// How a key's value is read from the file: its TOML type and the values allowed.
pub(crate) trait Read<T> {
    /// The value, or `None` after a problem with the key and line was reported.
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<T>;

    /// Whether the value counts as set for the cross-field checks (`""` may mean "not set").
    fn sets(&self, _v: &Value<'_>) -> bool {
        true
    }

    /// The numeric range allowed, if the shape has one (the drift tests find it in the docs).
    #[cfg(test)]
    fn range(&self) -> Option<(u64, u64)> {
        None
    }
}

/// A table declared with [`table!`]: reads its keys into its fields.
pub(crate) trait Keys {
    /// The key names, in the order the docs list them.
    fn keys(&self) -> &'static [&'static str];

    /// Each key with its numeric range, if it has one.
    #[cfg(test)]
    fn ranges(&self) -> Vec<(&'static str, Option<(u64, u64)>)>;

    /// Reads key `name` (dotted: `key`) into its field and remembers where it was set; `false`
    /// if the table has no such key.
    fn read_key(&mut self, r: &mut Reader<'_>, name: &str, key: &str, v: &Value<'_>) -> bool;
}

/// An integer in a range (any TOML notation).
pub(crate) struct Int(pub RangeInclusive<u64>);

impl<T: TryFrom<u64>> Read<T> for Int {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<T> {
        let n = r.int(key, v, self.0.clone())?;
        let converted = T::try_from(n).ok();
        if converted.is_none() {
            // Only if a range were declared wider than its field's type: never silent.
            r.report(key, v.span(), format!("{n} is too large"));
        }
        converted
    }

    #[cfg(test)]
    fn range(&self) -> Option<(u64, u64)> {
        Some((*self.0.start(), *self.0.end()))
    }
}

/// Whole seconds in a range.
pub(crate) struct Secs(pub RangeInclusive<u64>);

impl Read<Duration> for Secs {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Duration> {
        r.int(key, v, self.0.clone()).map(Duration::from_secs)
    }

    #[cfg(test)]
    fn range(&self) -> Option<(u64, u64)> {
        Some((*self.0.start(), *self.0.end()))
    }
}

/// One of a few words, case-insensitive (the type's `FromStr` knows them).
pub(crate) struct Word;

impl<T> Read<T> for Word
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<T> {
        r.word(key, v)
    }
}

/// `true` or `false`.
pub(crate) struct Bool;

impl Read<bool> for Bool {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<bool> {
        r.boolean(key, v)
    }
}

/// An absolute directory path (see [`Reader::dir`]).
pub(crate) struct Dir;

impl Read<PathBuf> for Dir {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<PathBuf> {
        r.dir(key, v)
    }
}

/// An absolute file path (see [`Reader::file`]).
pub(crate) struct File;

impl Read<PathBuf> for File {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<PathBuf> {
        r.file(key, v)
    }
}

/// A key with a reader of its own (a list of words, a URL, a message template ...).
pub(crate) struct With<T>(pub fn(&mut Reader<'_>, &str, &Value<'_>) -> Option<T>);

impl<T> Read<T> for With<T> {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<T> {
        (self.0)(r, key, v)
    }
}

/// `""` means "not set" (`None`); any other string is read by the inner shape.
pub(crate) struct EmptyOr<S>(pub S);

impl<T, S: Read<T>> Read<Option<T>> for EmptyOr<S> {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Option<T>> {
        match r.string(key, v)? {
            "" => Some(None),
            _ => self.0.read(r, key, v).map(Some),
        }
    }

    fn sets(&self, v: &Value<'_>) -> bool {
        !matches!(v.get_ref(), toml::de::DeValue::String(s) if s.is_empty())
    }
}

/// A key whose absence means "as elsewhere" (`None`): read by the inner shape when present.
pub(crate) struct Given<S>(pub S);

impl<T, S: Read<T>> Read<Option<T>> for Given<S> {
    fn read(&self, r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Option<T>> {
        self.0.read(r, key, v).map(Some)
    }
}

/// Declares a table of the config file: the struct, its `Default`, its key names (`KEYS`) and
/// [`Keys`]. Each key is one entry: doc comment, then `name: Type = default, shape;` where the
/// shape ([`Int`], [`Secs`], [`Word`], [`With`] ...) says how the value is read and checked.
macro_rules! table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident: $ty:ty = $default:expr, $shape:expr;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )+
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )+ }
            }
        }

        impl $name {
            /// The keys of this table, in the order the docs list them.
            pub(crate) const KEYS: &'static [&'static str] = &[$(stringify!($field)),+];
        }

        impl $crate::keys::Keys for $name {
            fn keys(&self) -> &'static [&'static str] {
                Self::KEYS
            }

            #[cfg(test)]
            fn ranges(&self) -> Vec<(&'static str, Option<(u64, u64)>)> {
                use $crate::keys::Read;
                vec![$((stringify!($field), Read::<$ty>::range(&$shape))),+]
            }

            fn read_key(
                &mut self,
                r: &mut $crate::values::Reader<'_>,
                name: &str,
                key: &str,
                v: &$crate::values::Value<'_>,
            ) -> bool {
                use $crate::keys::Read;
                let (ok, sets) = match name {
                    $(
                        stringify!($field) => {
                            let shape = $shape;
                            let value: Option<$ty> = shape.read(r, key, v);
                            let sets = Read::<$ty>::sets(&shape, v);
                            (value.map(|x| self.$field = x).is_some(), sets)
                        }
                    )+
                    _ => return false,
                };
                if sets {
                    r.mark(key, v.span(), ok);
                }
                true
            }
        }
    };
}
