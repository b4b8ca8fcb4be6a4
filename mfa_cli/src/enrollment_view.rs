//! What a person sees after enrollment: a QR code that fits an 80-column terminal, the
//! otpauth:// URI, and the secret in groups of four for typing by hand. The QR code is drawn
//! for the terminal's background (dark unless told or hinted otherwise): a phone's reader
//! needs dark modules on a light field, and a terminal can only paint its foreground colour.

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

use super::i18n::tr;
use super::messages::Msg;
use mfa_config::Language;

/// The colour behind the text in the terminal the QR code is drawn for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Background {
    /// Light text on a dark background (most terminals): the light modules are drawn.
    Dark,
    /// Dark text on a light background: the dark modules are drawn.
    Light,
}

impl Background {
    /// The other one.
    pub fn inverted(self) -> Background {
        match self {
            Background::Dark => Background::Light,
            Background::Light => Background::Dark,
        }
    }

    /// The background a `COLORFGBG` value ("FG;BG" or "FG;X;BG", ANSI colour numbers, set by
    /// rxvt, Konsole and a few others) names; Dark when it is absent or says nothing usable.
    /// Only a hint: the variable may come from another terminal (ssh, sudo, tmux).
    pub fn from_colorfgbg(value: Option<&str>) -> Background {
        let background = value
            .and_then(|v| v.rsplit(';').next())
            .and_then(|bg| bg.trim().parse::<u8>().ok());
        match background {
            // ANSI 7 (light grey) and 9..=15 (the bright colours, 15 = white) are light.
            Some(7) | Some(9..=15) => Background::Light,
            _ => Background::Dark,
        }
    }

    /// The background to draw for: the `COLORFGBG` hint, turned round when `invert` is asked
    /// for (so `--invert` always changes what a person saw, whatever the hint said).
    pub fn for_this_terminal(invert: bool) -> Background {
        let hint = Background::from_colorfgbg(std::env::var("COLORFGBG").ok().as_deref());
        if invert { hint.inverted() } else { hint }
    }
}

/// `--invert`, shared by every command that shows a QR code.
#[derive(Clone, Copy, Debug, Default, clap::Args)]
pub struct QrArgs {
    /// Draw the QR code the other way round: for a terminal with a light background, or
    /// whenever the phone cannot read it (COLORFGBG, when set, picks the default).
    #[arg(long)]
    pub invert: bool,
}

impl QrArgs {
    /// The background to draw for.
    pub fn background(self) -> Background {
        Background::for_this_terminal(self.invert)
    }
}

/// The whole view, its words in `lang`, the QR code drawn for `background`.
pub fn render(lang: Language, user: &str, uri: &str, background: Background) -> String {
    let mut out = format!(
        "{}\n{}\n\n",
        tr!(lang, Msg::SecretFor, user = user),
        Msg::ScanQr.text(lang)
    );
    match qr(uri, background) {
        Ok(picture) => {
            out.push_str(&picture);
            out.push('\n');
            out.push_str(Msg::QrInvertHint.text(lang));
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

/// `data` as a QR code drawn with half-height blocks (fits 80 columns for short links) so that
/// on `background` it shows dark modules on a light field, as readers expect.
pub fn qr(data: &str, background: Background) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::new(data.as_bytes())?;
    let mut picture = code.render::<Dense1x2>();
    picture.quiet_zone(true);
    // A block is painted in the terminal's foreground colour, a space shows the background.
    Ok(match background {
        // Light foreground: paint the light modules and the quiet zone, leave the dark ones.
        Background::Dark => picture
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .build(),
        // Dark foreground: paint the dark modules; the background is the light field.
        Background::Light => picture
            .dark_color(Dense1x2::Dark)
            .light_color(Dense1x2::Light)
            .build(),
    })
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
        let view = render(Language::En, "alice", URI, Background::Dark);
        let picture: Vec<&str> = view
            .lines()
            .filter(|l| l.contains('█') || l.contains('▀') || l.contains('▄'))
            .collect();
        assert!(picture.len() > 10, "a QR picture is drawn:\n{view}");
        assert!(picture.iter().all(|l| l.chars().count() <= 80), "{view}");
    }

    #[test]
    fn colorfgbg_names_a_light_background_only_for_the_light_colours() {
        for light in ["0;15", "0;7", "0;default;15", "12;9"] {
            assert_eq!(
                Background::from_colorfgbg(Some(light)),
                Background::Light,
                "{light}"
            );
        }
        for dark in ["15;0", "7;8", "15;default;0", "default", "", "x;y", "0;300"] {
            assert_eq!(
                Background::from_colorfgbg(Some(dark)),
                Background::Dark,
                "{dark}"
            );
        }
        assert_eq!(Background::from_colorfgbg(None), Background::Dark);
    }

    #[test]
    fn the_two_backgrounds_paint_opposite_modules() {
        let dark = qr(URI, Background::Dark).unwrap();
        let light = qr(URI, Background::Light).unwrap();
        let swap = |c: char| match c {
            '█' => ' ',
            ' ' => '█',
            '▀' => '▄',
            '▄' => '▀',
            other => other,
        };
        // The last line may pair the quiet zone with a padding row that neither paints.
        let (dark, light): (Vec<&str>, Vec<&str>) =
            (dark.lines().collect(), light.lines().collect());
        assert_eq!(dark.len(), light.len());
        for (d, l) in dark.iter().zip(&light).take(dark.len() - 1) {
            assert_eq!(*l, d.chars().map(swap).collect::<String>());
        }
        // The quiet zone is painted on a dark background and left to a light one.
        assert!(dark[0].chars().all(|c| c == '█'));
        assert!(light[0].chars().all(|c| c == ' '));
    }

    #[test]
    fn the_view_says_how_to_invert_the_code() {
        let view = render(Language::En, "alice", URI, Background::Dark);
        assert!(view.contains("--invert"), "{view}");
        let nl = render(Language::Nl, "alice", URI, Background::Light);
        assert!(nl.contains("--invert"), "{nl}");
    }

    #[test]
    fn secret_is_shown_in_groups_of_four() {
        assert!(
            render(Language::En, "alice", URI, Background::Dark)
                .contains("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
        );
    }

    #[test]
    fn the_view_speaks_the_language_asked_for() {
        let en = render(Language::En, "alice", URI, Background::Dark);
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
        let nl = render(Language::Nl, "alice", URI, Background::Dark);
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
