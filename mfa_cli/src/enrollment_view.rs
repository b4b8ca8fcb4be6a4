//! What a person sees after enrollment: a QR code that fits an 80-column terminal, the
//! otpauth:// URI, and the secret in groups of four for typing by hand.

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

use super::i18n::tr;
use super::messages::Msg;
use mfa_config::Language;

/// The whole view, its words in `lang`.
pub fn render(lang: Language, user: &str, uri: &str) -> String {
    let mut out = format!(
        "{}\n{}\n\n",
        tr!(lang, Msg::SecretFor, user = user),
        Msg::ScanQr.text(lang)
    );
    match qr(uri) {
        Ok(picture) => {
            out.push_str(&picture);
            out.push('\n');
        }
        Err(e) => out.push_str(&format!("{}\n", tr!(lang, Msg::NoQr, error = e))),
    }
    out.push_str(&format!("\n{}\n{uri}\n", Msg::OrOpenLink.text(lang)));
    if let Some(secret) = secret_of(uri) {
        out.push_str(&format!(
            "\n{}\n",
            tr!(lang, Msg::OrTypeKey, key = grouped(secret))
        ));
    }
    out
}

/// `data` as a QR code drawn with half-height blocks (fits 80 columns for short links).
pub fn qr(data: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::new(data.as_bytes())?;
    // Light modules drawn dark on purpose: most terminals are dark, and scanners need
    // dark-on-light.
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

fn secret_of(uri: &str) -> Option<&str> {
    let query = uri.split_once('?')?.1;
    query.split('&').find_map(|kv| kv.strip_prefix("secret="))
}

fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "otpauth://totp/host:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=host&algorithm=SHA1&digits=6&period=30";

    #[test]
    fn qr_code_fits_an_80_column_terminal() {
        let view = render(Language::En, "alice", URI);
        let picture: Vec<&str> = view
            .lines()
            .filter(|l| l.contains('█') || l.contains('▀') || l.contains('▄'))
            .collect();
        assert!(picture.len() > 10, "a QR picture is drawn:\n{view}");
        assert!(picture.iter().all(|l| l.chars().count() <= 80), "{view}");
    }

    #[test]
    fn secret_is_shown_in_groups_of_four() {
        assert!(
            render(Language::En, "alice", URI).contains("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
        );
    }

    #[test]
    fn the_view_speaks_the_language_asked_for() {
        let en = render(Language::En, "alice", URI);
        assert!(
            en.starts_with(
                "Authenticator app secret for alice.\nScan this QR code with the app:\n\n"
            ),
            "{en}"
        );
        assert!(
            en.contains("\nor open this link on the phone:\notpauth://"),
            "{en}"
        );
        assert!(en.contains("\nor type the key by hand: GEZD "), "{en}");
        let nl = render(Language::Nl, "alice", URI);
        assert!(nl.starts_with("Geheime sleutel voor de authenticator-app van alice.\nScan deze QR-code met de app:\n\n"), "{nl}");
        assert!(
            nl.contains("\nof open deze link op de telefoon:\notpauth://"),
            "{nl}"
        );
        assert!(
            nl.contains("\nof typ de sleutel met de hand over: GEZD "),
            "{nl}"
        );
    }
}
