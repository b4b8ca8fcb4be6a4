//! What a person sees after enrollment: a QR code that fits an 80-column terminal, the
//! otpauth:// URI, and the secret in groups of four for typing by hand.

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

pub fn render(user: &str, uri: &str) -> String {
    let mut out =
        format!("Authenticator app secret for {user}.\nScan this QR code with the app:\n\n");
    match QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            // Light modules drawn dark on purpose: most terminals are dark, and scanners need
            // dark-on-light.
            let picture = code
                .render::<Dense1x2>()
                .dark_color(Dense1x2::Light)
                .light_color(Dense1x2::Dark)
                .quiet_zone(true)
                .build();
            out.push_str(&picture);
            out.push('\n');
        }
        Err(e) => out.push_str(&format!("(no QR code: {e})\n")),
    }
    out.push_str(&format!("\nor open this link on the phone:\n{uri}\n"));
    if let Some(secret) = secret_of(uri) {
        out.push_str(&format!("\nor type the key by hand: {}\n", grouped(secret)));
    }
    out
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
        let view = render("alice", URI);
        let picture: Vec<&str> = view
            .lines()
            .filter(|l| l.contains('█') || l.contains('▀') || l.contains('▄'))
            .collect();
        assert!(picture.len() > 10, "a QR picture is drawn:\n{view}");
        assert!(picture.iter().all(|l| l.chars().count() <= 80), "{view}");
    }

    #[test]
    fn secret_is_shown_in_groups_of_four() {
        assert!(render("alice", URI).contains("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"));
    }
}
