//! The completeness check every catalog's unit test runs.

use std::fmt::Debug;

use super::{Forms, Language, placeholders};

/// A message of a catalog declared with [`catalog!`](crate::catalog).
pub trait Message: Copy + Debug + PartialEq {
    /// Its forms in `lang` (the same text twice for a message without a number).
    fn forms(self, lang: Language) -> Forms;
    /// The number it carries, if its wording depends on one.
    fn count(self) -> Option<u64>;
}

/// For each catalog's unit test: every message has a text in every language, every form of a
/// message takes the same placeholders in every language, and the languages differ except for
/// the messages in `alike` (which read the same on purpose, like "Computer").
pub fn assert_complete<M: Message>(all: &[M], alike: &[M]) {
    assert!(!all.is_empty(), "an empty catalog");
    for &m in all {
        let reference = placeholders(m.forms(Language::En).other);
        for lang in Language::ALL {
            let forms = m.forms(lang);
            for text in [forms.one, forms.other] {
                assert!(!text.trim().is_empty(), "{m:?} has no {lang} text");
                assert_eq!(
                    placeholders(text),
                    reference,
                    "{m:?}: {text:?} ({lang}) takes other values than the English text"
                );
            }
            if m.count().is_none() {
                assert_eq!(
                    forms.one, forms.other,
                    "{m:?}: plural forms without a number"
                );
            }
        }
        let (en, nl) = (m.forms(Language::En), m.forms(Language::Nl));
        if !alike.contains(&m) {
            assert_ne!(en.other, nl.other, "{m:?} is not translated");
            assert_ne!(en.one, nl.one, "{m:?} is not translated");
        }
    }
}
