//! The enrollment QR code as a phone would see it: the real `mfa admin enroll-totp` output,
//! painted the way a terminal paints it (a block in the foreground colour, a space in the
//! background colour, the background all around), read by a real QR reader (zbarimg, package
//! zbar-tools). The default reads on a dark terminal, `--invert` on a light one, and the
//! default on a light terminal does not read (the bug `--invert` exists for; it also proves
//! the reader is not lenient enough to make this test pass whatever is drawn).

use mfa_tests::*;
use std::process::Command;

/// The colours of a terminal: light text on black, or black text on white.
#[derive(Clone, Copy, Debug)]
enum Terminal {
    Dark,
    Light,
}

/// Pixels per QR module; one character cell is one module wide and two high.
const MODULE_PX: usize = 4;
/// Background cells around the picture, as the rest of the terminal window.
const MARGIN_CELLS: usize = 4;

/// `mfa admin enroll-totp alice EXTRA…` with COLORFGBG as given (or unset): its stdout.
fn enroll_output(bus: &Bus, extra: &[&str], colorfgbg: Option<&str>) -> String {
    let mut cmd = mfa_command();
    cmd.args(["admin", "enroll-totp", "alice"])
        .args(extra)
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .env_remove("COLORFGBG");
    if let Some(value) = colorfgbg {
        cmd.env("COLORFGBG", value);
    }
    let out = cmd.output().expect("run mfa");
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn uri_of(view: &str) -> &str {
    view.lines()
        .find(|l| l.starts_with("otpauth://totp/"))
        .unwrap_or_else(|| panic!("no otpauth URI printed:\n{view}"))
}

/// The lines between "Scan this QR code…" and the hint below the picture: what the terminal
/// shows of the QR code.
fn picture_of(view: &str) -> Vec<&str> {
    let picture: Vec<&str> = view
        .lines()
        .skip_while(|l| !l.starts_with("Scan this QR code"))
        .skip(1)
        .take_while(|l| !l.starts_with("(The app cannot read it?"))
        .collect();
    assert!(
        picture.iter().any(|l| l.contains('▀') || l.contains('█')),
        "no QR picture in:\n{view}"
    );
    picture
}

/// Whether the top and the bottom half of a character cell show the foreground colour.
fn painted_halves(c: char) -> (bool, bool) {
    match c {
        '█' => (true, true),
        '▀' => (true, false),
        '▄' => (false, true),
        ' ' => (false, false),
        other => panic!("unexpected character {other:?} in the QR picture"),
    }
}

/// The picture as the terminal shows it, as a grey-scale PGM image.
fn paint(picture: &[&str], terminal: Terminal) -> Vec<u8> {
    let (foreground, background) = match terminal {
        Terminal::Dark => (255u8, 0u8),
        Terminal::Light => (0u8, 255u8),
    };
    let columns = picture.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let width = (columns + 2 * MARGIN_CELLS) * MODULE_PX;
    let height = (picture.len() + 2 * MARGIN_CELLS) * 2 * MODULE_PX;
    let mut pixels = vec![background; width * height];
    for (row, line) in picture.iter().enumerate() {
        for (column, c) in line.chars().enumerate() {
            let (top, bottom) = painted_halves(c);
            for (half, painted) in [(0, top), (1, bottom)] {
                if !painted {
                    continue;
                }
                let y0 = ((row + MARGIN_CELLS) * 2 + half) * MODULE_PX;
                let x0 = (column + MARGIN_CELLS) * MODULE_PX;
                for y in y0..y0 + MODULE_PX {
                    pixels[y * width + x0..y * width + x0 + MODULE_PX].fill(foreground);
                }
            }
        }
    }
    let mut image = format!("P5\n{width} {height}\n255\n").into_bytes();
    image.extend(pixels);
    image
}

/// What zbarimg reads in the picture shown on `terminal`, or None when it finds no code.
fn decode(picture: &[&str], terminal: Terminal) -> Option<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("qr-{terminal:?}.pgm"));
    std::fs::write(&file, paint(picture, terminal)).expect("write the image");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&file)
        .output()
        .expect("zbarimg (scripts/deps.sh test installs zbar-tools)");
    match out.status.code() {
        Some(0) => Some(String::from_utf8_lossy(&out.stdout).trim_end().to_string()),
        // 4: the image was read and holds no code.
        Some(4) => None,
        _ => panic!("zbarimg failed: {}", output_text(&out)),
    }
}

#[test]
fn the_default_qr_code_reads_on_a_dark_terminal_and_not_on_a_light_one() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "[totp]\nissuer = \"testhost\"\n");
    let view = enroll_output(&bus, &[], None);
    let picture = picture_of(&view);
    assert_eq!(
        decode(&picture, Terminal::Dark).as_deref(),
        Some(uri_of(&view))
    );
    assert_eq!(decode(&picture, Terminal::Light), None, "{view}");
}

#[test]
fn the_inverted_qr_code_reads_on_a_light_terminal_and_keeps_the_uri_and_the_key() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "[totp]\nissuer = \"testhost\"\n");
    let view = enroll_output(&bus, &["--invert"], None);
    let picture = picture_of(&view);
    let uri = uri_of(&view);
    assert_eq!(decode(&picture, Terminal::Light).as_deref(), Some(uri));
    assert!(
        view.contains("or type the key by hand: ") && uri.contains("secret="),
        "{view}"
    );
}

#[test]
fn a_colorfgbg_naming_a_light_background_draws_for_it_and_invert_turns_it_back() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "[totp]\nissuer = \"testhost\"\n");
    let view = enroll_output(&bus, &[], Some("0;15"));
    assert_eq!(
        decode(&picture_of(&view), Terminal::Light).as_deref(),
        Some(uri_of(&view))
    );
    let view = enroll_output(&bus, &["--invert"], Some("0;15"));
    assert_eq!(
        decode(&picture_of(&view), Terminal::Dark).as_deref(),
        Some(uri_of(&view))
    );
}
