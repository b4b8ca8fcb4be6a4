//! Templates with `{name}` placeholders (`[sms] message`, gateway fields, exec argv and stdin).
//!
//! A placeholder is `{` + lower-case letters or `_` + `}`; any other brace is literal text, so a
//! JSON-looking value stays as written. Rendering is one pass: a value that itself contains
//! `{code}` is never expanded again.

/// The placeholders in `template`, in order, with repeats.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    scan(template, |piece| {
        if let Piece::Placeholder(name) = piece {
            out.push(name);
        }
    });
    out
}

/// The first placeholder of `template` that is not in `allowed`, if any.
pub fn unknown_placeholder<'t>(template: &'t str, allowed: &[&str]) -> Option<&'t str> {
    placeholders(template)
        .into_iter()
        .find(|name| !allowed.contains(name))
}

/// `template` with each placeholder named in `values` replaced by its value; placeholders not
/// in `values` stay as written.
pub fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    scan(template, |piece| match piece {
        Piece::Text(t) => out.push_str(t),
        Piece::Placeholder(name) => match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        },
    });
    out
}

enum Piece<'t> {
    Text(&'t str),
    Placeholder(&'t str),
}

fn scan<'t>(template: &'t str, mut each: impl FnMut(Piece<'t>)) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if name_len > 0 && after.as_bytes().get(name_len) == Some(&b'}') {
            if open > 0 {
                each(Piece::Text(&rest[..open]));
            }
            each(Piece::Placeholder(&after[..name_len]));
            rest = &after[name_len + 1..];
        } else {
            each(Piece::Text(&rest[..=open]));
            rest = after;
        }
    }
    if !rest.is_empty() {
        each(Piece::Text(rest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_other_braces_are_text() {
        let t = r#"{"to": "{phone}", "x": "{ code }", "y": "{}{code}{Code}"}"#;
        assert_eq!(placeholders(t), ["phone", "code"]);
        assert_eq!(
            unknown_placeholder("{code} {issuer}", &["code"]),
            Some("issuer")
        );
        assert_eq!(unknown_placeholder("{code} {", &["code"]), None);
    }

    #[test]
    fn render_is_one_pass() {
        let out = render("{a}-{b}-{c}", &[("a", "{b}"), ("b", "x")]);
        assert_eq!(out, "{b}-x-{c}");
        assert_eq!(render("{{code}}", &[("code", "1")]), "{1}");
        assert_eq!(render("", &[]), "");
        assert_eq!(render("é{code}ü", &[("code", "7")]), "é7ü");
    }
}
