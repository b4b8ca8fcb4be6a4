//! The macros that declare a catalog and fill one of its messages.

/// Declares a message catalog: an enum of messages, each with a text in every language, and
/// [`Message`](crate::i18n::Message) for it. The enum gets `ALL` (every message, for tests) and
/// `text(lang)`, the template in a language with the plural form already chosen.
///
/// A message is `Name { en: "…", nl: "…" }`. One whose wording depends on a number is
/// `Name(count) { en: { one: "…", other: "…" }, nl: { one: "…", other: "…" } }`: its variant
/// carries the number (`Name(u64)`), which picks the form. Texts may hold `{name}`
/// placeholders, filled with [`tr!`](crate::tr).
#[macro_export]
macro_rules! catalog {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $(($count:ident))? { en: $en:tt, nl: $nl:tt $(,)? }
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant $(($crate::__i18n_count_type!($count)))? ),*
        }

        impl $name {
            /// Every message of the catalog (one that carries a number, with 1).
            #[allow(dead_code)]
            pub const ALL: &'static [$name] =
                &[ $( $name::$variant $(($crate::__i18n_sample_count!($count)))? ),* ];

            /// The text in `lang`, in the plural form its number asks for (it may hold
            /// `{name}` placeholders: see `tr!`).
            #[allow(dead_code)]
            pub fn text(self, lang: $crate::i18n::Language) -> &'static str {
                let forms = <Self as $crate::i18n::Message>::forms(self, lang);
                forms.pick(lang, <Self as $crate::i18n::Message>::count(self))
            }
        }

        impl $crate::i18n::Message for $name {
            fn forms(self, lang: $crate::i18n::Language) -> $crate::i18n::Forms {
                match lang {
                    $crate::i18n::Language::En => match self {
                        $( $name::$variant { .. } => $crate::__i18n_forms!([$($count)?] $en) ),*
                    },
                    $crate::i18n::Language::Nl => match self {
                        $( $name::$variant { .. } => $crate::__i18n_forms!([$($count)?] $nl) ),*
                    },
                }
            }

            fn count(self) -> Option<u64> {
                match self {
                    $( $( $name::$variant($count) => Some($count), )? )*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
}

/// A message in a language, its `{name}` placeholders filled: `tr!(lang, Msg::X, user = u)`.
/// Without arguments it still returns a `String`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $msg:expr $(, $key:ident = $value:expr)* $(,)?) => {
        $crate::i18n::fill(
            $msg.text($lang),
            &[ $( (stringify!($key), &$value as &dyn ::std::fmt::Display) ),* ],
        )
    };
}

/// The forms of one text; a text and its declaration must agree on whether it has a count.
#[doc(hidden)]
#[macro_export]
macro_rules! __i18n_forms {
    ([] $text:literal) => {
        $crate::i18n::Forms::fixed($text)
    };
    ([$count:ident] { one: $one:literal, other: $other:literal $(,)? }) => {
        $crate::i18n::Forms {
            one: $one,
            other: $other,
        }
    };
    ([] { $($forms:tt)* }) => {
        compile_error!("plural forms need a number: declare the message as `Name(count) { … }`")
    };
    ([$count:ident] $text:literal) => {
        compile_error!("a message with a number needs `{ one: \"…\", other: \"…\" }` forms")
    };
}

/// The type of the number a plural message carries.
#[doc(hidden)]
#[macro_export]
macro_rules! __i18n_count_type {
    ($count:ident) => {
        u64
    };
}

/// The number a plural message carries in `ALL`.
#[doc(hidden)]
#[macro_export]
macro_rules! __i18n_sample_count {
    ($count:ident) => {
        1
    };
}

/// A message without its Dutch text does not compile:
///
/// ```compile_fail
/// mfa_proto::catalog! {
///     enum Msg {
///         Yes { en: "yes" },
///     }
/// }
/// ```
///
/// and neither do plural forms without a number, nor a number without plural forms:
///
/// ```compile_fail
/// mfa_proto::catalog! {
///     enum Msg {
///         Left { en: { one: "{n} left", other: "{n} left" }, nl: { one: "{n} over", other: "{n} over" } },
///     }
/// }
/// ```
///
/// ```compile_fail
/// mfa_proto::catalog! {
///     enum Msg {
///         Left(count) { en: "{n} left", nl: "{n} over" },
///     }
/// }
/// ```
#[cfg(doc)]
pub struct CompileChecks;
