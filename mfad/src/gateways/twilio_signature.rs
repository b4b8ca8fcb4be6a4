//! `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the auth token, over the full URL as
//! configured followed by every POST parameter sorted by name, each as name then value with no
//! separator (`reference/gateways.md` §1.2, "Webhook security").

use base64::Engine as _;
use hmac::{KeyInit, Mac};

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

/// The signature Twilio sends for a POST of `params` to `url`.
pub fn sign(auth_token: &[u8], url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    // Repeated names keep every value, sorted too (Twilio's own validators do the same).
    sorted.sort();
    let mut mac = match HmacSha1::new_from_slice(auth_token) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this cannot happen.
        Err(_) => return String::new(),
    };
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `signature` is Twilio's for this request, compared in constant time.
pub fn verify(auth_token: &[u8], url: &str, params: &[(String, String)], signature: &str) -> bool {
    let expected = sign(auth_token, url, params);
    !expected.is_empty()
        && bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            signature.trim().as_bytes(),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documented_params() -> Vec<(String, String)> {
        [
            ("Digits", "1234"),
            ("To", "+18005551212"),
            ("From", "+14158675309"),
            ("Caller", "+14158675309"),
            ("CallSid", "CA1234567890ABCDE"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    #[test]
    fn matches_twilios_documented_example() {
        // Twilio's published vector (its helper libraries test against it): token "12345".
        assert_eq!(
            sign(b"12345", URL, &documented_params()),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert!(verify(
            b"12345",
            URL,
            &documented_params(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        let mut tampered = documented_params();
        tampered[0].1 = "9999".into();
        assert!(!verify(b"12345", URL, &tampered, good));
        assert!(!verify(b"other", URL, &documented_params(), good));
        assert!(!verify(
            b"12345",
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &documented_params(),
            good
        ));
        assert!(!verify(b"12345", URL, &documented_params(), ""));
    }
}
