//! The one place that decides what in a golden transcript varies from run to run. Each rule
//! replaces a value (never a text) by a named placeholder; the rules run in order, so the more
//! specific ones come first.

use regex::Regex;

/// `(what varies, pattern, replacement)`, applied in this order to every line.
pub const RULES: &[(&str, &str, &str)] = &[
    ("otpauth secret", r"secret=[A-Z2-7]+=*", "secret=<SECRET>"),
    (
        "base32 key shown in groups of four",
        r"\b[A-Z2-7]{4}( [A-Z2-7]{4}){3,}\b",
        "<SECRET>",
    ),
    (
        "backup code as printed (two groups of five digits)",
        r"\b\d{5} \d{5}\b",
        "<BACKUP-CODE>",
    ),
    (
        "ntfy topic of a linked phone",
        r"\bmfa_[0-9a-f]{40}\b",
        "<TOPIC>",
    ),
    ("one-time code (6 to 8 digits)", r"\b\d{6,8}\b", "<CODE>"),
    (
        "two-digit number to match on the phone (push and call)",
        r"\b(enter|type|Verify:) +\d{2}\b",
        "$1 <NUMBER>",
    ),
    ("date", r"\b\d{4}-\d{2}-\d{2}\b", "<DATE>"),
    ("time of day", r"\b\d{2}:\d{2}(:\d{2})?\b", "<TIME>"),
    ("loopback port", r"127\.0\.0\.1:\d+", "127.0.0.1:<PORT>"),
];

/// A line made only of QR-code blocks (and spaces) becomes one `<QR>` line per QR code.
const QR_BLOCKS: &[char] = &['█', '▀', '▄', ' '];

/// Applies [`RULES`] to each line of `text` and folds a drawn QR code into `<QR>`.
pub fn normalise(text: &str) -> String {
    let rules: Vec<(Regex, &str)> = RULES
        .iter()
        .map(|(what, pattern, to)| {
            let re = Regex::new(pattern).unwrap_or_else(|e| panic!("rule {what:?}: {e}"));
            (re, *to)
        })
        .collect();
    let mut out = String::new();
    let mut in_qr = false;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let is_qr = body.chars().any(|c| c != ' ') && body.chars().all(|c| QR_BLOCKS.contains(&c));
        if is_qr {
            if !in_qr {
                out.push_str("<QR>\n");
            }
            in_qr = true;
            continue;
        }
        in_qr = false;
        let mut changed = body.to_string();
        for (re, to) in &rules {
            changed = re.replace_all(&changed, *to).into_owned();
        }
        out.push_str(&changed);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_numbers_secrets_and_times_become_placeholders_and_texts_stay() {
        let text = "> 123456\nCode 12345 67890 left\nenter 07 on your phone\n\
                    key: ABCD EFGH IJKL MNOP\nhttp://n/mfa_64f1298d8bdb39073472710eb9e6b69c9e3b0075\notpauth://totp/x?secret=ABCDEF234&issuer=t\n\
                    at 2026-12-05 06:25:54 from http://127.0.0.1:4711/push\n";
        assert_eq!(
            normalise(text),
            "> <CODE>\nCode <BACKUP-CODE> left\nenter <NUMBER> on your phone\n\
             key: <SECRET>\nhttp://n/<TOPIC>\notpauth://totp/x?secret=<SECRET>&issuer=t\n\
             at <DATE> <TIME> from http://127.0.0.1:<PORT>/push\n"
        );
    }

    #[test]
    fn a_drawn_qr_code_folds_into_one_placeholder_line() {
        let text = "Scan this:\n█▀▀▀█ ▄\n█ ▄ █▀█\n\nor type the key\n";
        assert_eq!(normalise(text), "Scan this:\n<QR>\n\nor type the key\n");
    }
}
