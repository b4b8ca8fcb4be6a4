//! Form bodies (`application/x-www-form-urlencoded`) the listener accepts: parsed in one place,
//! free of HTTP, so the parsing can be fuzzed (fuzz/fuzz_targets/web_form.rs).

/// Whether a `Content-Type` value announces a form body.
pub fn is_form(content_type: &str) -> bool {
    content_type.starts_with("application/x-www-form-urlencoded")
}

/// The body's fields in order; undecodable bytes become U+FFFD, never an error.
pub fn parse(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The first value of `name`, or "" when the form has none.
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded_and_the_first_one_wins() {
        let form = parse(b"decision=approve&number=4%202&decision=deny&pin=+1");
        assert_eq!(field(&form, "decision"), "approve");
        assert_eq!(field(&form, "number"), "4 2");
        assert_eq!(field(&form, "pin"), " 1");
        assert_eq!(field(&form, "csrf"), "");
    }

    #[test]
    fn broken_encodings_do_not_fail() {
        let form = parse(b"a=%ff%&=&&b");
        assert_eq!(form.len(), 3);
    }
}
