//! The importer of ~/.google_authenticator files (a user's own file, so untrusted).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(file) = mfa_cli::google_authenticator::parse(text)
    {
        let _ = file.window();
    }
});
