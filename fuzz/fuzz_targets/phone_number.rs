//! Phone numbers as users type them at enrolment, for both channels, under the default policy
//! and a country-restricted one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfad::phone::{self, Channel, PhonePolicy};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let open = PhonePolicy::default();
    let restricted = PhonePolicy {
        allowed_countries: vec!["DE".into(), "us".into()],
        ..PhonePolicy::default()
    };
    for policy in [&open, &restricted] {
        for channel in [Channel::Sms, Channel::Voice] {
            if let Ok(number) = phone::parse(input, policy, channel) {
                let _ = phone::mask(&number.e164);
                let _ = phone::prefix(&number.e164);
            }
        }
    }
    let _ = phone::mask(input);
    let _ = phone::prefix(input);
});
