//! The module's decoder of the daemon's steps: (kind, text, flags) from the bus. A step that
//! decodes must encode back to the same wire triple.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfa_proto::Step;

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = data.split_at_checked(8) else {
        return;
    };
    let kind = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let flags = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    let text = String::from_utf8_lossy(text).into_owned();
    let wire = (kind, text, flags);
    if let Ok(step) = Step::from_wire(wire.clone()) {
        let again = Step::from_wire(step.to_wire());
        assert_eq!(
            again.ok(),
            Some(step),
            "decode(encode(step)) differs for {wire:?}"
        );
    }
});
