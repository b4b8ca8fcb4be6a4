use super::*;

catalog! {
    /// A catalog of its own, to test the macro with.
    enum Sample {
        Unlocked { en: "{user}: unlocked", nl: "{user}: gedeblokkeerd" },
        Yes { en: "yes", nl: "ja" },
        CodesLeft(count) {
            en: { one: "{n} code left", other: "{n} codes left" },
            nl: { one: "{n} code over", other: "{n} codes over" },
        },
        Computer { en: "Computer", nl: "Computer" },
    }
}

catalog! {
    enum Mismatched {
        Greeting { en: "hello {user}", nl: "hallo {gebruiker}" },
    }
}

catalog! {
    enum Untranslated {
        Greeting { en: "hello", nl: "hello" },
    }
}

#[test]
fn placeholders_are_filled_and_values_are_not_rescanned() {
    let user = "{path}";
    assert_eq!(
        fill(
            "{user}: {path} and {no way} {",
            &[("user", &user), ("path", &7)]
        ),
        "{path}: 7 and {no way} {"
    );
    assert_eq!(
        tr!(Language::Nl, Sample::Unlocked, user = "alice"),
        "alice: gedeblokkeerd"
    );
    assert_eq!(tr!(Language::En, Sample::Yes), "yes");
}

#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "filled with")]
fn a_missing_value_is_a_mistake_caught_in_tests() {
    let _ = fill("{user}: {path}", &[("user", &"alice")]);
}

#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "filled with")]
fn a_value_without_a_placeholder_is_a_mistake_caught_in_tests() {
    let _ = tr!(Language::En, Sample::Yes, user = "alice");
}

#[test]
fn placeholders_are_names_in_braces() {
    let found: Vec<&str> = placeholders("a {b} {c_1} {no way} {} {b}")
        .into_iter()
        .collect();
    assert_eq!(found, ["b", "c_1"]);
}

#[test]
fn exactly_one_takes_the_singular_form_in_english_and_dutch() {
    for lang in Language::ALL {
        assert_eq!(lang.plural(1), Plural::One, "{lang}");
        for n in [0, 2, 5, 11, 21, 101, u64::MAX] {
            assert_eq!(lang.plural(n), Plural::Other, "{lang} {n}");
        }
    }
}

#[test]
fn a_plural_message_is_written_in_the_form_its_number_asks_for() {
    assert_eq!(
        tr!(Language::En, Sample::CodesLeft(1), n = 1),
        "1 code left"
    );
    assert_eq!(
        tr!(Language::En, Sample::CodesLeft(0), n = 0),
        "0 codes left"
    );
    assert_eq!(
        tr!(Language::En, Sample::CodesLeft(2), n = 2),
        "2 codes left"
    );
    assert_eq!(
        tr!(Language::Nl, Sample::CodesLeft(1), n = 1),
        "1 code over"
    );
    assert_eq!(
        tr!(Language::Nl, Sample::CodesLeft(7), n = 7),
        "7 codes over"
    );
}

#[test]
fn a_fixed_message_carries_no_number_and_reads_the_same_for_any() {
    assert_eq!(Sample::Yes.count(), None);
    assert_eq!(Sample::CodesLeft(4).count(), Some(4));
    let forms = Sample::Yes.forms(Language::Nl);
    assert_eq!(forms.pick(Language::Nl, Some(1)), "ja");
    assert_eq!(forms.pick(Language::Nl, None), "ja");
}

#[test]
fn all_lists_every_message_once_with_plural_ones_at_one() {
    assert_eq!(
        Sample::ALL,
        [
            Sample::Unlocked,
            Sample::Yes,
            Sample::CodesLeft(1),
            Sample::Computer
        ]
    );
}

#[test]
fn a_complete_catalog_passes_the_check() {
    assert_complete(Sample::ALL, &[Sample::Computer]);
}

#[test]
#[should_panic(expected = "is not translated")]
fn a_text_left_in_english_fails_the_check() {
    assert_complete(Sample::ALL, &[]);
}

#[test]
#[should_panic(expected = "is not translated")]
fn an_untranslated_catalog_fails_the_check() {
    assert_complete(Untranslated::ALL, &[]);
}

#[test]
#[should_panic(expected = "takes other values than the English text")]
fn languages_that_take_different_values_fail_the_check() {
    assert_complete(Mismatched::ALL, &[]);
}

#[test]
fn languages_are_read_case_insensitively_and_written_as_in_the_config() {
    assert_eq!("NL".parse::<Language>(), Ok(Language::Nl));
    assert_eq!("en".parse::<Language>(), Ok(Language::En));
    assert_eq!(Language::Nl.to_string(), "nl");
    let unknown = "de".parse::<Language>().expect_err("not a language here");
    assert_eq!(unknown.to_string(), r#"expected "en" or "nl""#);
}
