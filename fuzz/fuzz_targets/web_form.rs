//! The web listener's form bodies (push approvals, call callbacks) and the Twilio signature
//! check over the parsed fields: any bytes, from anyone on the network.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfad::web::form;

fuzz_target!(|data: &[u8]| {
    let fields = form::parse(data);
    for name in ["csrf", "decision", "number", "pin", "Digits", "CallStatus"] {
        let _ = form::field(&fields, name);
    }
    let _ = form::is_form(&String::from_utf8_lossy(data));
    let signature = form::field(&fields, "signature");
    let _ = mfad::gateways::twilio_signature::verify(
        b"token",
        "https://mfa.example/voice/answer",
        &fields,
        signature,
    );
});
