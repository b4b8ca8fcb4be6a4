//! Every message the user commands print, in English and Dutch. The language is the user's own
//! choice (`mfa language`) or the daemon's configured one, as the daemon reports it.

use mfa_config::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    ConfirmFirst,
    ScanThenType,
    CodePrompt,
    CodeWrong,
    TotpActive,
    BackupCodesIntro,
    PreferredSet,
    LanguageSet,
    Removed,
    Methods,
    NoMethods,
    Preferred,
    BackupLeft,
    PhoneLine,
    PushDevice,
    Locked,
    FailuresSince,
    LastLogin,
    NeverLoggedIn,
    Yes,
    No,
    CodeTexted,
    TextedCodePrompt,
    PhoneActive,
    PushPin,
    PushPinAgain,
    PushPinMismatch,
    PushSubscribe,
    PushTestSent,
    PushActive,
    PushTimeout,
}

pub fn msg(lang: Language, m: Msg) -> &'static str {
    use Msg::*;
    match lang {
        Language::En => match m {
            ConfirmFirst => "You already have a second factor: confirm with it first.",
            ScanThenType => "Add this to your authenticator app, then type the code it shows.",
            CodePrompt => "Code from the app: ",
            CodeWrong => "That code is not right. Check the app and try again.",
            TotpActive => "Authenticator app enrolled: it is asked for at your next login.",
            BackupCodesIntro => {
                "Your new backup codes. Each works once; the old ones no longer work. Keep them somewhere safe: they are not shown again."
            }
            PreferredSet => "Preferred method set:",
            LanguageSet => "Language set:",
            Removed => "Removed:",
            Methods => "Methods",
            NoMethods => "none",
            Preferred => "Preferred order",
            BackupLeft => "Backup codes left",
            PhoneLine => "Phone (texts and calls)",
            PushDevice => "Push approvals",
            Locked => "Locked",
            FailuresSince => "Failed attempts since the last login",
            LastLogin => "Last login",
            NeverLoggedIn => "never",
            Yes => "yes",
            No => "no",
            CodeTexted => "A code was sent by text message to",
            TextedCodePrompt => "Code from the text message: ",
            PhoneActive => "Phone number enrolled for codes by text message:",
            PushPin => "PIN to type when approving (4 to 8 digits; Enter for none): ",
            PushPinAgain => "The same PIN again: ",
            PushPinMismatch => "The two PINs differ.",
            PushSubscribe => {
                "In the ntfy app, subscribe to this topic (scan the code or add the link):"
            }
            PushTestSent => {
                "A test notification was sent. Tap it, type this number on the page and press \
                 Verify:"
            }
            PushActive => "This phone now approves your sign-ins.",
            PushTimeout => "The test notification was not approved in time. Start again.",
        },
        Language::Nl => match m {
            ConfirmFirst => "U hebt al een tweede factor: bevestig eerst daarmee.",
            ScanThenType => {
                "Voeg dit toe aan uw authenticator-app en typ daarna de code die de app toont."
            }
            CodePrompt => "Code uit de app: ",
            CodeWrong => "Die code klopt niet. Kijk in de app en probeer het opnieuw.",
            TotpActive => {
                "Authenticator-app ingesteld: bij uw volgende aanmelding wordt erom gevraagd."
            }
            BackupCodesIntro => {
                "Uw nieuwe back-upcodes. Elke code werkt één keer; de oude werken niet meer. Bewaar ze op een veilige plek: ze worden niet opnieuw getoond."
            }
            PreferredSet => "Voorkeursmethode ingesteld:",
            LanguageSet => "Taal ingesteld:",
            Removed => "Verwijderd:",
            Methods => "Methoden",
            NoMethods => "geen",
            Preferred => "Voorkeursvolgorde",
            BackupLeft => "Back-upcodes over",
            PhoneLine => "Telefoon (sms en oproepen)",
            PushDevice => "Pushgoedkeuringen",
            Locked => "Geblokkeerd",
            FailuresSince => "Mislukte pogingen sinds de laatste aanmelding",
            LastLogin => "Laatste aanmelding",
            NeverLoggedIn => "nooit",
            Yes => "ja",
            No => "nee",
            CodeTexted => "Er is een code per sms verstuurd naar",
            TextedCodePrompt => "Code uit de sms: ",
            PhoneActive => "Telefoonnummer ingesteld voor codes per sms:",
            PushPin => "Pincode voor het goedkeuren (4 tot 8 cijfers; Enter voor geen): ",
            PushPinAgain => "Nogmaals dezelfde pincode: ",
            PushPinMismatch => "De twee pincodes verschillen.",
            PushSubscribe => {
                "Abonneer u in de ntfy-app op dit onderwerp (scan de code of voeg de link toe):"
            }
            PushTestSent => {
                "Er is een testmelding verstuurd. Tik erop, typ dit nummer op de pagina en druk \
                 op Bevestigen:"
            }
            PushActive => "Deze telefoon keurt nu uw aanmeldingen goed.",
            PushTimeout => "De testmelding is niet op tijd goedgekeurd. Begin opnieuw.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Msg; 31] = [
        Msg::PushPin,
        Msg::PushPinAgain,
        Msg::PushPinMismatch,
        Msg::PushSubscribe,
        Msg::PushTestSent,
        Msg::PushActive,
        Msg::PushTimeout,
        Msg::CodeTexted,
        Msg::TextedCodePrompt,
        Msg::PhoneActive,
        Msg::ConfirmFirst,
        Msg::ScanThenType,
        Msg::CodePrompt,
        Msg::CodeWrong,
        Msg::TotpActive,
        Msg::BackupCodesIntro,
        Msg::PreferredSet,
        Msg::LanguageSet,
        Msg::Removed,
        Msg::Methods,
        Msg::NoMethods,
        Msg::Preferred,
        Msg::BackupLeft,
        Msg::PhoneLine,
        Msg::PushDevice,
        Msg::Locked,
        Msg::FailuresSince,
        Msg::LastLogin,
        Msg::NeverLoggedIn,
        Msg::Yes,
        Msg::No,
    ];

    #[test]
    fn every_message_exists_in_english_and_dutch_and_differs() {
        for m in ALL {
            let (en, nl) = (msg(Language::En, m), msg(Language::Nl, m));
            assert!(!en.is_empty() && !nl.is_empty(), "{m:?}");
            assert_ne!(en, nl, "{m:?} is not translated");
        }
    }
}
