//! The messages of `mfa test-login`, of the PAM conversation on the terminal and of the
//! enrollment view (QR code, link, key), in English and Dutch.

use super::i18n::catalog;

pub mod bus;

catalog! {
    pub enum Msg {
        // mfa test-login
        Testing {
            en: "Testing PAM service '{service}' ({source}) for user '{user}'",
            nl: "Test van PAM-service '{service}' ({source}) voor gebruiker '{user}'",
        },
        NoMfaInStack {
            en: "warning: the auth stack of '{service}' ({source}) has no pam_mfa.so: this login asks for no second factor; add `auth required pam_mfa.so` after the password module (see `mfa doctor`)",
            nl: "waarschuwing: de auth-stack van '{service}' ({source}) bevat geen pam_mfa.so: deze aanmelding vraagt geen tweede factor; voeg `auth required pam_mfa.so` toe na de wachtwoordmodule (zie `mfa doctor`)",
        },
        PamResult { en: "PAM result: {result}{stage}", nl: "PAM-resultaat: {result}{stage}" },
        Success { en: "success", nl: "gelukt" },
        // the conversation on the terminal
        NoAnswer {
            en: "no answer (end of input); the conversation fails",
            nl: "geen antwoord (einde van de invoer); het gesprek mislukt",
        },
        // the enrollment view
        SecretFor {
            en: "Authenticator app secret for {user}.",
            nl: "Geheime sleutel voor de authenticator-app van {user}.",
        },
        ScanQr { en: "Scan this QR code with the app:", nl: "Scan deze QR-code met de app:" },
        NoQr { en: "(no QR code: {error})", nl: "(geen QR-code: {error})" },
        QrInvertHint {
            en: "(The app cannot read it? Run the command again with --invert.)",
            nl: "(Leest de app hem niet? Geef de opdracht opnieuw met --invert.)",
        },
        OrOpenLink {
            en: "or open this link on the phone:",
            nl: "of open deze link op de telefoon:",
        },
        OrTypeKey {
            en: "or type the key by hand: {key}",
            nl: "of typ de sleutel met de hand over: {key}",
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
