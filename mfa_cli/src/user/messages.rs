//! Every message the user commands print, in English and Dutch. The language is the user's own
//! choice (`mfa language`) or the daemon's configured one, as the daemon reports it.

use mfa_proto::i18n::catalog;

catalog! {
    pub enum Msg {
        ConfirmFirst {
            en: "You already have a second factor: confirm with it first.",
            nl: "U hebt al een tweede factor: bevestig eerst daarmee.",
        },
        ScanThenType {
            en: "Add this to your authenticator app, then type the code it shows.",
            nl: "Voeg dit toe aan uw authenticator-app en typ daarna de code die de app toont.",
        },
        CodePrompt {
            en: "Code from the app: ",
            nl: "Code uit de app: ",
        },
        CodeWrong {
            en: "That code is not right. Check the app and try again.",
            nl: "Die code klopt niet. Kijk in de app en probeer het opnieuw.",
        },
        TotpActive {
            en: "Authenticator app enrolled: it is asked for at your next login.",
            nl: "Authenticator-app ingesteld: bij uw volgende aanmelding wordt erom gevraagd.",
        },
        BackupCodesIntro {
            en: "Your new backup codes. Each works once; the old ones no longer work. Keep them somewhere safe: they are not shown again.",
            nl: "Uw nieuwe back-upcodes. Elke code werkt één keer; de oude werken niet meer. Bewaar ze op een veilige plek: ze worden niet opnieuw getoond.",
        },
        PreferredSet {
            en: "Preferred method set:",
            nl: "Voorkeursmethode ingesteld:",
        },
        LanguageSet {
            en: "Language set:",
            nl: "Taal ingesteld:",
        },
        Removed {
            en: "Removed:",
            nl: "Verwijderd:",
        },
        Methods {
            en: "Methods",
            nl: "Methoden",
        },
        NoMethods {
            en: "none",
            nl: "geen",
        },
        Preferred {
            en: "Preferred order",
            nl: "Voorkeursvolgorde",
        },
        BackupLeft {
            en: "Backup codes left",
            nl: "Back-upcodes over",
        },
        PhoneLine {
            en: "Phone (texts and calls)",
            nl: "Telefoon (sms en oproepen)",
        },
        PushDevice {
            en: "Push approvals",
            nl: "Pushgoedkeuringen",
        },
        Locked {
            en: "Locked",
            nl: "Geblokkeerd",
        },
        DelayedUntil {
            en: "Codes refused until",
            nl: "Codes geweigerd tot",
        },
        FailuresSince {
            en: "Failed attempts since the last login",
            nl: "Mislukte pogingen sinds de laatste aanmelding",
        },
        LastLogin {
            en: "Last login",
            nl: "Laatste aanmelding",
        },
        NeverLoggedIn {
            en: "never",
            nl: "nooit",
        },
        Yes {
            en: "yes",
            nl: "ja",
        },
        No {
            en: "no",
            nl: "nee",
        },
        CodeTexted {
            en: "A code was sent by text message to",
            nl: "Er is een code per sms verstuurd naar",
        },
        TextedCodePrompt {
            en: "Code from the text message: ",
            nl: "Code uit de sms: ",
        },
        PhoneActive {
            en: "Phone number enrolled for codes by text message:",
            nl: "Telefoonnummer ingesteld voor codes per sms:",
        },
        PushPin {
            en: "PIN to type when approving (4 to 8 digits; Enter for none): ",
            nl: "Pincode voor het goedkeuren (4 tot 8 cijfers; Enter voor geen): ",
        },
        PushPinAgain {
            en: "The same PIN again: ",
            nl: "Nogmaals dezelfde pincode: ",
        },
        PushPinMismatch {
            en: "The two PINs differ.",
            nl: "De twee pincodes verschillen.",
        },
        PushSubscribe {
            en: "In the ntfy app, subscribe to this topic (scan the code or add the link):",
            nl: "Abonneer u in de ntfy-app op dit onderwerp (scan de code of voeg de link toe):",
        },
        PushTestSent {
            en: "A test notification was sent. Tap it, type this number on the page and press \
                 Verify:",
            nl: "Er is een testmelding verstuurd. Tik erop, typ dit nummer op de pagina en druk \
                 op Bevestigen:",
        },
        PushActive {
            en: "This phone now approves your sign-ins.",
            nl: "Deze telefoon keurt nu uw aanmeldingen goed.",
        },
        PushTimeout {
            en: "The test notification was not approved in time. Start again.",
            nl: "De testmelding is niet op tijd goedgekeurd. Begin opnieuw.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_english_and_dutch_and_differs() {
        mfa_proto::i18n::assert_complete(Msg::ALL, &[]);
    }
}
