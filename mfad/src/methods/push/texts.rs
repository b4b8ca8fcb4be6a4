//! Texts of push approvals in each supported language: the login prompts, the notification,
//! and the approval page.

use mfa_proto::i18n::{catalog, tr};

use crate::config::Language;

catalog! {
    pub enum Text {
        /// The menu line.
        OptionLabel {
            en: "Approve on your phone (push notification)",
            nl: "Goedkeuren op uw telefoon (pushmelding)",
        },
        Offer {
            en: "Press Enter to get a notification on your phone (or ? for other options): ",
            nl: "Druk op Enter voor een melding op uw telefoon (of ? voor andere mogelijkheden): ",
        },
        // Everything the user must do is in the prompt: sshd shows nothing else while it waits.
        Prompt {
            en: "A notification was sent to your phone. Open it, enter {number} on your phone and \
                 press Verify, then press Enter here once you have approved (or ? for other options): ",
            nl: "Er is een melding naar uw telefoon gestuurd. Open die, vul {number} in op uw \
                 telefoon en druk op Bevestigen, en druk hier op Enter zodra u hebt goedgekeurd \
                 (of ? voor andere mogelijkheden): ",
        },
        // One-line forms (`Render::OneLine`): each fits a one-line field of 40 characters, the
        // number to enter near the front and Enter last.
        OneLabel { en: "Phone approval", nl: "Pushmelding" },
        OneOffer { en: "Notify my phone: Enter", nl: "Melding naar telefoon: Enter" },
        OnePrompt {
            en: "Phone: enter {number}, Verify, then Enter",
            nl: "Telefoon: vul {number} in, Bevestigen, Enter",
        },
        OneNotApprovedInTime { en: "Not approved in time.", nl: "Niet op tijd goedgekeurd." },
        OneWrongNumber {
            en: "Refused: wrong number or PIN.",
            nl: "Geweigerd: nummer of pincode fout.",
        },
        OneDenied { en: "Denied on your phone.", nl: "Geweigerd op uw telefoon." },
        OneReported { en: "Reported: push is now off.", nl: "Gemeld: push staat nu uit." },
        NotApprovedInTime {
            en: "The sign-in was not approved in time.",
            nl: "De aanmelding is niet op tijd goedgekeurd.",
        },
        WrongNumber {
            en: "The sign-in was refused: the number or PIN entered on the phone was not right.",
            nl: "De aanmelding is geweigerd: het nummer of de pincode op de telefoon klopte niet.",
        },
        Denied {
            en: "The sign-in was denied on your phone.",
            nl: "De aanmelding is op uw telefoon geweigerd.",
        },
        Reported {
            en: "The sign-in was reported as not yours: push approvals are now off for this account.",
            nl: "De aanmelding is gemeld als niet van u: goedkeuren via pushmelding staat nu uit voor \
                 dit account.",
        },
        TooMany {
            en: "Too many notifications were sent recently. Choose another option.",
            nl: "Er zijn onlangs te veel meldingen verstuurd. Kies een andere mogelijkheid.",
        },
        NotSent {
            en: "The notification could not be sent. Choose another option.",
            nl: "De melding kon niet worden verstuurd. Kies een andere mogelijkheid.",
        },
        // The notification: who wants in, from where, and when.
        SignInTitle { en: "Sign-in to {host}?", nl: "Aanmelden bij {host}?" },
        SignInBody {
            en: "Service: {service}\nFrom: {from}\nTime: {time}\nTap to approve or deny.",
            nl: "Dienst: {service}\nVanaf: {from}\nTijd: {time}\nTik om goed te keuren of te weigeren.",
        },
        LinkTitle { en: "Link this phone to {host}", nl: "Deze telefoon koppelen aan {host}" },
        LinkBody {
            en: "Tap to confirm with the number shown in your terminal.",
            nl: "Tik om te bevestigen met het nummer in uw terminal.",
        },
        Open { en: "Open", nl: "Openen" },
    }
}

catalog! {
    /// The words on the approval page.
    pub enum Page {
        Title { en: "Approve sign-in?", nl: "Aanmelding goedkeuren?" },
        EnrollTitle { en: "Link this phone", nl: "Deze telefoon koppelen" },
        Intro {
            en: "Only approve if you are signing in right now.",
            nl: "Keur alleen goed als u zich nu aanmeldt.",
        },
        Service { en: "Service", nl: "Dienst" },
        From { en: "From", nl: "Vanaf" },
        Time { en: "Time", nl: "Tijd" },
        Number { en: "Number shown on your screen", nl: "Nummer op uw scherm" },
        Pin { en: "Your PIN", nl: "Uw pincode" },
        Verify { en: "Verify", nl: "Bevestigen" },
        Deny { en: "Deny", nl: "Weigeren" },
        Report { en: "Deny \u{2014} this wasn't me", nl: "Weigeren \u{2014} dit was ik niet" },
        Approved {
            en: "Sign-in approved. You can close this page.",
            nl: "Aanmelding goedgekeurd. U kunt deze pagina sluiten.",
        },
        Denied { en: "Sign-in denied.", nl: "Aanmelding geweigerd." },
        Reported {
            en: "Sign-in denied and reported. Push approvals are now off for your account.",
            nl: "Aanmelding geweigerd en gemeld. Goedkeuren via pushmelding staat nu uit voor uw account.",
        },
        Wrong {
            en: "The number or PIN is not right. The sign-in was refused.",
            nl: "Het nummer of de pincode klopt niet. De aanmelding is geweigerd.",
        },
        Gone {
            en: "This link has expired or was already used.",
            nl: "Deze link is verlopen of al gebruikt.",
        },
    }
}

/// The notification's title, message and button label.
pub fn notification(
    lang: Language,
    host: &str,
    service: &str,
    rhost: &str,
    time: &str,
    enrolling: bool,
) -> (String, String, &'static str) {
    let from = if rhost.is_empty() { "-" } else { rhost };
    let (title, message) = if enrolling {
        (
            tr!(lang, Text::LinkTitle, host = host),
            tr!(lang, Text::LinkBody),
        )
    } else {
        (
            tr!(lang, Text::SignInTitle, host = host),
            tr!(
                lang,
                Text::SignInBody,
                service = service,
                from = from,
                time = time
            ),
        )
    };
    (title, message, Text::Open.text(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_push_text_exists_in_english_and_dutch() {
        mfa_proto::i18n::assert_complete(Text::ALL, &[]);
        mfa_proto::i18n::assert_complete(Page::ALL, &[]);
    }

    #[test]
    fn the_one_line_endings_fit_one_line() {
        for lang in Language::ALL {
            for text in [
                Text::OneNotApprovedInTime,
                Text::OneWrongNumber,
                Text::OneDenied,
                Text::OneReported,
            ] {
                assert!(crate::methods::one_line::fits(text.text(lang)), "{text:?}");
            }
        }
    }

    #[test]
    fn the_prompt_shows_the_number_to_enter() {
        assert!(tr!(Language::En, Text::Prompt, number = "42").contains("enter 42 on your phone"));
        assert!(tr!(Language::Nl, Text::Prompt, number = "42").contains("vul 42 in"));
    }

    #[test]
    fn the_notification_says_who_wants_in_from_where_and_when() {
        let (title, message, open) = notification(Language::En, "h", "sshd", "", "12:00", false);
        assert_eq!(title, "Sign-in to h?");
        assert_eq!(
            message,
            "Service: sshd\nFrom: -\nTime: 12:00\nTap to approve or deny."
        );
        assert_eq!(open, "Open");
        let (title, _, open) = notification(Language::Nl, "h", "sshd", "", "t", true);
        assert_eq!(
            (title.as_str(), open),
            ("Deze telefoon koppelen aan h", "Openen")
        );
    }
}
