//! The TwiML of a challenge call: the question inside `<Gather>` (so a callee can answer while
//! it speaks), where the keypad answer goes, and what is said after it.

use crate::config::Language;
use crate::methods::voice::texts as voice_texts;

/// Seconds Twilio waits for the first (and each next) key.
const KEY_TIMEOUT_SECONDS: u32 = 10;

/// `number_match`: the callee types the digits shown at the prompt, then `#` (which ends the
/// input and is not part of `Digits`). Otherwise one key, and `finishOnKey=""` makes `#` that
/// key (`Digits=#`).
pub fn challenge(lang: Language, issuer: &str, number_match: bool, action_url: &str) -> String {
    let keys = if number_match {
        "finishOnKey=\"#\""
    } else {
        "numDigits=\"1\" finishOnKey=\"\""
    };
    let say_lang = voice_texts::Text::SpeechLanguage.text(lang);
    format!(
        "<Response><Gather input=\"dtmf\" {keys} timeout=\"{KEY_TIMEOUT_SECONDS}\" \
         action=\"{}\" method=\"POST\"><Say language=\"{say_lang}\">{}</Say></Gather>\
         <Say language=\"{say_lang}\">{}</Say><Hangup/></Response>",
        escape(action_url),
        escape(&voice_texts::spoken_question(lang, issuer, number_match)),
        escape(voice_texts::Text::SpokenNoAnswer.text(lang)),
    )
}

/// The answer to the keypad callback: say how it went and hang up.
pub fn result(lang: Language, approved: bool) -> String {
    format!(
        "<Response><Say language=\"{}\">{}</Say><Hangup/></Response>",
        voice_texts::Text::SpeechLanguage.text(lang),
        escape(voice_texts::spoken_result(lang, approved)),
    )
}

/// Just hang up (a callback that decides nothing).
pub fn hang_up() -> &'static str {
    "<Response><Hangup/></Response>"
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn press_hash_asks_for_one_key_with_hash_as_that_key() {
        let t = challenge(
            Language::En,
            "host",
            false,
            "https://mfa.example/twilio/voice/ab",
        );
        assert!(t.contains("numDigits=\"1\" finishOnKey=\"\""));
        assert!(t.contains("action=\"https://mfa.example/twilio/voice/ab\" method=\"POST\""));
        assert!(t.starts_with("<Response><Gather") && t.ends_with("<Hangup/></Response>"));
    }

    #[test]
    fn number_matching_ends_the_digits_with_hash() {
        let t = challenge(Language::Nl, "host", true, "https://x/y");
        assert!(t.contains("finishOnKey=\"#\"") && !t.contains("numDigits"));
        assert!(t.contains("language=\"nl-NL\""));
    }

    #[test]
    fn issuer_and_url_are_escaped() {
        let t = challenge(Language::En, "a<b>&\"c'", false, "https://x/?a=1&b=2");
        assert!(t.contains("a&lt;b&gt;&amp;&quot;c&apos;"));
        assert!(t.contains("https://x/?a=1&amp;b=2"));
        assert!(!t.contains("a<b>"));
    }
}
