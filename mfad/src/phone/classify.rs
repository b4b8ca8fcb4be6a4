//! Region and number type of a parsed number, from the `phonenumber` crate's metadata.
//!
//! The crate's own `number_type()` and `country().id()` drop the leading zeros of the national
//! number (its `NationalNumber::value()` is an integer), so an Italian fixed line
//! (+39 06 …) comes back as "no region, unknown type". This is libphonenumber's
//! `getNumberTypeHelper` and `getRegionCodeForNumberFromRegionList`, run on the national
//! significant number *with* its leading zeros.

use phonenumber::metadata::DATABASE;
use phonenumber::{Metadata, PhoneNumber, Type};

/// Region code the metadata uses for non-geographic entities (+800, +882, …).
const NON_GEOGRAPHIC: &str = "001";

/// The number's region (ISO 3166 alpha-2) and type; `None` for non-geographic numbers and
/// numbers the metadata cannot place.
pub(super) fn classify(number: &PhoneNumber) -> Option<(String, Type)> {
    let code = number.code().value();
    let national = number.national().to_string();
    let regions = DATABASE.region(&code)?;
    let region = if let [only] = regions.as_slice() {
        (*only != NON_GEOGRAPHIC).then_some(*only)?
    } else {
        regions.into_iter().find(|region| {
            DATABASE
                .by_id(*region)
                .is_some_and(|meta| match meta.leading_digits() {
                    Some(pattern) => pattern.find(&national).is_some_and(|m| m.start() == 0),
                    None => number_type(meta, &national) != Type::Unknown,
                })
        })?
    };
    let meta = DATABASE.by_id(region)?;
    Some((region.to_string(), number_type(meta, &national)))
}

fn number_type(meta: &Metadata, national: &str) -> Type {
    let descriptors = meta.descriptors();
    let matches = |kind: Type| descriptors.get(kind).is_some_and(|d| d.is_match(national));
    if !descriptors.general().is_match(national) {
        return Type::Unknown;
    }
    for kind in [
        Type::PremiumRate,
        Type::TollFree,
        Type::SharedCost,
        Type::Voip,
        Type::PersonalNumber,
        Type::Pager,
        Type::Uan,
        Type::Voicemail,
    ] {
        if matches(kind) {
            return kind;
        }
    }
    if matches(Type::FixedLine) {
        let same_pattern = descriptors
            .fixed_line()
            .map(|d| d.national_number().as_str())
            == descriptors.mobile().map(|d| d.national_number().as_str());
        return if same_pattern || matches(Type::Mobile) {
            Type::FixedLineOrMobile
        } else {
            Type::FixedLine
        };
    }
    if matches(Type::Mobile) {
        Type::Mobile
    } else {
        Type::Unknown
    }
}
