use super::*;

fn any() -> PhonePolicy {
    PhonePolicy::default()
}

fn sms(input: &str) -> Result<Phone, PhoneError> {
    parse(input, &any(), Channel::Sms)
}

fn voice(input: &str) -> Result<Phone, PhoneError> {
    parse(input, &any(), Channel::Voice)
}

#[test]
fn dutch_mobile_from_several_typed_forms() {
    for typed in [
        "+31612345678",
        "+31 6 12345678",
        "+31 (0)6-1234 5678",
        "0031 6 1234 5678",
        "  +31.6.12.34.56.78  ",
        "+31/6/12345678",
    ] {
        let phone = sms(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(phone.e164, "+31612345678", "{typed:?}");
        assert_eq!(phone.region, "NL");
        assert_eq!(phone.country_code, 31);
        assert_eq!(phone.kind, NumberKind::Mobile);
    }
}

#[test]
fn german_mobile_from_several_typed_forms() {
    for typed in [
        "+49 151 23456789",
        "+49 (0)151 2345-6789",
        "0049 1512 3456789",
        "+4915123456789",
    ] {
        let phone = sms(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(phone.e164, "+4915123456789", "{typed:?}");
        assert_eq!((phone.region.as_str(), phone.country_code), ("DE", 49));
        assert_eq!(phone.kind, NumberKind::Mobile);
    }
}

#[test]
fn us_number_from_several_typed_forms_is_fixed_line_or_mobile_and_takes_sms() {
    for typed in [
        "+1 (201) 555-0123",
        "+1-201-555-0123",
        "+1 201.555.0123",
        "001 201 555 0123",
    ] {
        let phone = sms(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(phone.e164, "+12015550123", "{typed:?}");
        assert_eq!((phone.region.as_str(), phone.country_code), ("US", 1));
        assert_eq!(phone.kind, NumberKind::FixedLineOrMobile);
    }
}

#[test]
fn national_or_malformed_input_is_refused_with_a_clear_error() {
    assert_eq!(sms("   "), Err(PhoneError::Empty));
    assert_eq!(sms("06 12345678"), Err(PhoneError::NotInternational));
    assert_eq!(sms("tel:+31612345678"), Err(PhoneError::NotInternational));
    assert_eq!(sms("+1 800 FLOWERS"), Err(PhoneError::BadCharacters));
    assert_eq!(sms("+31612345678 ext. 5"), Err(PhoneError::BadCharacters));
    assert_eq!(sms("+31612345678;ext=5"), Err(PhoneError::BadCharacters));
    assert_eq!(sms("+31 6 1234\u{0}5678"), Err(PhoneError::BadCharacters));
    assert_eq!(sms("+31 6 1234"), Err(PhoneError::Invalid), "too short");
    assert_eq!(
        sms("+31 6 12345678 9"),
        Err(PhoneError::Invalid),
        "too long"
    );
    assert_eq!(
        sms("+999 1234567"),
        Err(PhoneError::Invalid),
        "no such code"
    );
    assert_eq!(sms("+"), Err(PhoneError::Invalid));
    assert_eq!(
        sms(&format!("+{}", "1".repeat(80))),
        Err(PhoneError::Invalid)
    );
    assert!(
        PhoneError::NotInternational
            .to_string()
            .contains("international form")
    );
    assert!(
        PhoneError::Invalid
            .to_string()
            .contains("not a valid phone number")
    );
}

#[test]
fn premium_rate_is_refused_for_both_channels_whatever_the_policy() {
    let generous = PhonePolicy {
        allowed_countries: Vec::new(),
        sms_types: NumberKind::ALL.to_vec(),
        voice_types: NumberKind::ALL.to_vec(),
    };
    for typed in ["+31 900 1234567", "+1 900 555 0123"] {
        for channel in [Channel::Sms, Channel::Voice] {
            for policy in [&any(), &generous] {
                let err = parse(typed, policy, channel).unwrap_err();
                assert_eq!(
                    err,
                    PhoneError::KindNeverAllowed {
                        kind: NumberKind::PremiumRate
                    },
                    "{typed} {channel}"
                );
                assert!(err.to_string().contains("premium-rate"), "{err}");
            }
        }
    }
}

#[test]
fn shared_cost_uan_pager_and_personal_numbers_are_never_allowed() {
    let generous = PhonePolicy {
        allowed_countries: Vec::new(),
        sms_types: NumberKind::ALL.to_vec(),
        voice_types: NumberKind::ALL.to_vec(),
    };
    for (typed, kind) in [
        ("+49 180 1234567", NumberKind::SharedCost),
        ("+31 87 1234567", NumberKind::Uan),
        ("+31 66 1234567", NumberKind::Pager),
        ("+44 70 1234 5678", NumberKind::PersonalNumber),
    ] {
        assert_eq!(
            parse(typed, &generous, Channel::Voice),
            Err(PhoneError::KindNeverAllowed { kind }),
            "{typed}"
        );
    }
}

#[test]
fn fixed_line_is_refused_for_sms_and_allowed_for_voice_by_default() {
    let err = sms("+31 20 123 4567").unwrap_err();
    assert_eq!(
        err,
        PhoneError::KindNotAllowed {
            kind: NumberKind::FixedLine,
            channel: Channel::Sms
        }
    );
    assert!(err.to_string().contains("fixed-line"), "{err}");
    let phone = voice("+31 20 123 4567").unwrap();
    assert_eq!(phone.e164, "+31201234567");
    assert_eq!(phone.kind, NumberKind::FixedLine);
}

#[test]
fn italian_fixed_line_with_leading_zero_keeps_its_region_and_type() {
    let phone = voice("+39 06 1234 5678").unwrap();
    assert_eq!(phone.e164, "+390612345678");
    assert_eq!(phone.region, "IT");
    assert_eq!(phone.kind, NumberKind::FixedLine);
}

#[test]
fn voip_follows_the_policy() {
    assert_eq!(
        voice("+31 85 123 4567"),
        Err(PhoneError::KindNotAllowed {
            kind: NumberKind::Voip,
            channel: Channel::Voice
        })
    );
    let policy = PhonePolicy {
        voice_types: vec![NumberKind::Voip],
        ..any()
    };
    assert_eq!(
        parse("+31 85 123 4567", &policy, Channel::Voice)
            .unwrap()
            .kind,
        NumberKind::Voip
    );
}

#[test]
fn non_geographic_numbers_are_refused() {
    assert_eq!(
        voice("+800 1234 5678"),
        Err(PhoneError::NoCountry { country_code: 800 })
    );
}

#[test]
fn country_allow_list_names_the_refused_country() {
    let policy = PhonePolicy {
        allowed_countries: vec!["nl".into(), "DE".into(), "GB".into()],
        ..any()
    };
    assert!(parse("+31 6 12345678", &policy, Channel::Sms).is_ok());
    assert!(parse("+49 151 23456789", &policy, Channel::Sms).is_ok());
    let err = parse("+1 201 555 0123", &policy, Channel::Sms).unwrap_err();
    assert_eq!(
        err,
        PhoneError::CountryNotAllowed {
            region: "US".into(),
            country_code: 1
        }
    );
    assert!(err.to_string().contains("US (+1)"), "{err}");
    // +44 7624 is the Isle of Man, not Great Britain: the region decides, not the code.
    assert!(parse("+44 7400 123456", &policy, Channel::Sms).is_ok());
    assert_eq!(
        parse("+44 7624 123456", &policy, Channel::Sms),
        Err(PhoneError::CountryNotAllowed {
            region: "IM".into(),
            country_code: 44
        })
    );
}

#[test]
fn number_kinds_parse_from_their_config_names() {
    for kind in NumberKind::ALL {
        assert_eq!(kind.as_str().parse::<NumberKind>(), Ok(kind));
    }
    assert_eq!(
        "fixed_line_or_mobile".parse::<NumberKind>(),
        Ok(NumberKind::FixedLineOrMobile)
    );
    let err = "landline".parse::<NumberKind>().unwrap_err();
    assert!(
        err.contains("landline") && err.contains("fixed_line"),
        "{err}"
    );
}

#[test]
fn mask_shows_the_country_code_and_last_two_digits_only() {
    assert_eq!(mask("+31612345678"), "+31 ••• ••• ••78");
    assert_eq!(mask("+12015550123"), "+1 ••• ••• ••23");
    let masked = mask("+4915123456789");
    let digits: String = masked.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits, "4989");
}

#[test]
fn mask_width_does_not_depend_on_the_length_of_the_number() {
    let widths: Vec<usize> = [
        "+4930123456",
        "+49301234567",
        "+4915123456789",
        "+491512345678901",
    ]
    .iter()
    .map(|n| mask(n).chars().count())
    .collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}");
}

#[test]
fn mask_of_odd_input_shows_no_digits_and_never_panics() {
    for odd in [
        "",
        "+",
        "+1",
        "+3161",
        "abc",
        "31612345678",
        "+31 6 12345678",
        "+0123456789",
        "+1234567890123456789",
        "💥+31612345678",
        "+٣١٦١٢٣٤٥٦٧٨",
    ] {
        let masked = mask(odd);
        assert!(
            !masked.chars().any(|c| c.is_ascii_digit()),
            "{odd:?} → {masked}"
        );
        assert_eq!(masked.chars().count(), mask("+31612345678").chars().count());
    }
}

#[test]
fn prefix_drops_the_last_four_digits() {
    assert_eq!(prefix("+31612345678"), "+3161234");
    assert_eq!(prefix("+12015550123"), "+1201555");
    assert_eq!(prefix("+123"), "+");
    assert_eq!(prefix(""), "+");
}

#[test]
fn log_id_is_stable_short_hex_and_depends_on_the_pepper() {
    let a = log_id("+31612345678", b"pepper one");
    assert_eq!(a, log_id("+31612345678", b"pepper one"));
    assert_eq!(a.len(), 16);
    assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(a, log_id("+31612345678", b"pepper two"));
    assert_ne!(a, log_id("+31612345679", b"pepper one"));
    assert!(!a.contains("612345678"));
}
