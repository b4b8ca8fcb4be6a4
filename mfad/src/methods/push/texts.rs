//! Texts of push approvals in each supported language: the login prompts, the notification,
//! and the approval page.

use crate::config::Language;

pub fn option_label(lang: Language) -> &'static str {
    match lang {
        Language::En => "Approve on your phone (push notification)",
        Language::Nl => "Goedkeuren op uw telefoon (pushmelding)",
    }
}

pub fn offer_push(lang: Language) -> &'static str {
    match lang {
        Language::En => {
            "Press Enter to get a notification on your phone (or ? for other options): "
        }
        Language::Nl => {
            "Druk op Enter voor een melding op uw telefoon (of ? voor andere mogelijkheden): "
        }
    }
}

/// Everything the user must do is in the prompt: sshd shows nothing else while it waits.
pub fn push_prompt(lang: Language, number: &str) -> String {
    match lang {
        Language::En => format!(
            "A notification was sent to your phone. Open it, enter {number} on your phone and \
             press Verify, then press Enter here once you have approved (or ? for other options): "
        ),
        Language::Nl => format!(
            "Er is een melding naar uw telefoon gestuurd. Open die, vul {number} in op uw \
             telefoon en druk op Bevestigen, en druk hier op Enter zodra u hebt goedgekeurd \
             (of ? voor andere mogelijkheden): "
        ),
    }
}

pub fn not_approved_in_time(lang: Language) -> &'static str {
    match lang {
        Language::En => "The sign-in was not approved in time.",
        Language::Nl => "De aanmelding is niet op tijd goedgekeurd.",
    }
}

pub fn wrong_number(lang: Language) -> &'static str {
    match lang {
        Language::En => {
            "The sign-in was refused: the number or PIN entered on the phone was not right."
        }
        Language::Nl => {
            "De aanmelding is geweigerd: het nummer of de pincode op de telefoon klopte niet."
        }
    }
}

pub fn denied(lang: Language) -> &'static str {
    match lang {
        Language::En => "The sign-in was denied on your phone.",
        Language::Nl => "De aanmelding is op uw telefoon geweigerd.",
    }
}

pub fn reported(lang: Language) -> &'static str {
    match lang {
        Language::En => {
            "The sign-in was reported as not yours: push approvals are now off for this account."
        }
        Language::Nl => {
            "De aanmelding is gemeld als niet van u: goedkeuren via pushmelding staat nu uit voor \
             dit account."
        }
    }
}

pub fn too_many(lang: Language) -> &'static str {
    match lang {
        Language::En => "Too many notifications were sent recently. Choose another option.",
        Language::Nl => {
            "Er zijn onlangs te veel meldingen verstuurd. Kies een andere mogelijkheid."
        }
    }
}

pub fn not_sent(lang: Language) -> &'static str {
    match lang {
        Language::En => "The notification could not be sent. Choose another option.",
        Language::Nl => "De melding kon niet worden verstuurd. Kies een andere mogelijkheid.",
    }
}

/// The notification: who wants in, from where, and when.
pub fn notification(
    lang: Language,
    host: &str,
    service: &str,
    rhost: &str,
    time: &str,
    enrolling: bool,
) -> (String, String, &'static str) {
    let from = if rhost.is_empty() { "-" } else { rhost };
    match (lang, enrolling) {
        (Language::En, false) => (
            format!("Sign-in to {host}?"),
            format!("Service: {service}\nFrom: {from}\nTime: {time}\nTap to approve or deny."),
            "Open",
        ),
        (Language::Nl, false) => (
            format!("Aanmelden bij {host}?"),
            format!(
                "Dienst: {service}\nVanaf: {from}\nTijd: {time}\nTik om goed te keuren of te weigeren."
            ),
            "Openen",
        ),
        (Language::En, true) => (
            format!("Link this phone to {host}"),
            "Tap to confirm with the number shown in your terminal.".to_owned(),
            "Open",
        ),
        (Language::Nl, true) => (
            format!("Deze telefoon koppelen aan {host}"),
            "Tik om te bevestigen met het nummer in uw terminal.".to_owned(),
            "Openen",
        ),
    }
}

/// The words on the approval page.
pub struct PageTexts {
    pub title: &'static str,
    pub enroll_title: &'static str,
    pub intro: &'static str,
    pub host: &'static str,
    pub service: &'static str,
    pub from: &'static str,
    pub time: &'static str,
    pub number: &'static str,
    pub pin: &'static str,
    pub verify: &'static str,
    pub deny: &'static str,
    pub report: &'static str,
    pub approved: &'static str,
    pub denied: &'static str,
    pub reported: &'static str,
    pub wrong: &'static str,
    pub gone: &'static str,
}

pub fn page(lang: Language) -> &'static PageTexts {
    match lang {
        Language::En => &EN,
        Language::Nl => &NL,
    }
}

static EN: PageTexts = PageTexts {
    title: "Approve sign-in?",
    enroll_title: "Link this phone",
    intro: "Only approve if you are signing in right now.",
    host: "Computer",
    service: "Service",
    from: "From",
    time: "Time",
    number: "Number shown on your screen",
    pin: "Your PIN",
    verify: "Verify",
    deny: "Deny",
    report: "Deny \u{2014} this wasn't me",
    approved: "Sign-in approved. You can close this page.",
    denied: "Sign-in denied.",
    reported: "Sign-in denied and reported. Push approvals are now off for your account.",
    wrong: "The number or PIN is not right. The sign-in was refused.",
    gone: "This link has expired or was already used.",
};

static NL: PageTexts = PageTexts {
    title: "Aanmelding goedkeuren?",
    enroll_title: "Deze telefoon koppelen",
    intro: "Keur alleen goed als u zich nu aanmeldt.",
    host: "Computer",
    service: "Dienst",
    from: "Vanaf",
    time: "Tijd",
    number: "Nummer op uw scherm",
    pin: "Uw pincode",
    verify: "Bevestigen",
    deny: "Weigeren",
    report: "Weigeren \u{2014} dit was ik niet",
    approved: "Aanmelding goedgekeurd. U kunt deze pagina sluiten.",
    denied: "Aanmelding geweigerd.",
    reported: "Aanmelding geweigerd en gemeld. Goedkeuren via pushmelding staat nu uit voor uw account.",
    wrong: "Het nummer of de pincode klopt niet. De aanmelding is geweigerd.",
    gone: "Deze link is verlopen of al gebruikt.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_push_text_exists_in_english_and_dutch() {
        let (en, nl) = (Language::En, Language::Nl);
        assert_ne!(option_label(en), option_label(nl));
        assert_ne!(offer_push(en), offer_push(nl));
        assert!(push_prompt(en, "42").contains("enter 42 on your phone"));
        assert!(push_prompt(nl, "42").contains("42"));
        for (a, b) in [
            (not_approved_in_time(en), not_approved_in_time(nl)),
            (wrong_number(en), wrong_number(nl)),
            (denied(en), denied(nl)),
            (reported(en), reported(nl)),
            (too_many(en), too_many(nl)),
            (not_sent(en), not_sent(nl)),
            (page(en).verify, page(nl).verify),
            (page(en).gone, page(nl).gone),
        ] {
            assert_ne!(a, b);
        }
        for enrolling in [false, true] {
            assert_ne!(
                notification(en, "h", "sshd", "192.0.2.1", "t", enrolling).0,
                notification(nl, "h", "sshd", "192.0.2.1", "t", enrolling).0
            );
        }
    }
}
