//! Every message `mfa admin …` prints, in English and Dutch. What comes from the daemon (its
//! refusals, audit lines) and from files (paths, parse errors) is shown as it comes.

use super::i18n::catalog;

catalog! {
    pub enum Msg {
        AccessDenied {
            en: "access denied: `mfa admin` must run as root ({detail})",
            nl: "toegang geweigerd: `mfa admin` moet als root worden uitgevoerd ({detail})",
        },
        // `mfa admin status`: the daemon's keys, in English as they are.
        KeyUser { en: "user", nl: "gebruiker" },
        KeyMethods { en: "methods", nl: "methoden" },
        KeyPhone { en: "phone", nl: "telefoon" },
        KeyPhoneVerifiedAt { en: "phone.verified_at", nl: "telefoon.geverifieerd_op" },
        KeyPushGateway { en: "push.gateway", nl: "push.gateway_naam" },
        KeyPushEnrolledAt { en: "push.enrolled_at", nl: "push.ingeschreven_op" },
        KeyBackupCodesLeft { en: "backup_codes_left", nl: "back-upcodes over" },
        KeyLocked { en: "locked", nl: "geblokkeerd" },
        // The `locked` line's addition during a cooldown: "no, delayed until 2026-… (in 9 min)".
        DelayedUntil { en: "delayed until {time}", nl: "vertraagd tot {time}" },
        KeyFailures { en: "failures", nl: "mislukte pogingen" },
        KeyLastFailure { en: "last_failure", nl: "laatste mislukte poging" },
        KeyTotpAlgorithm { en: "totp.algorithm", nl: "totp-algoritme" },
        KeyTotpDigits { en: "totp.digits", nl: "totp-cijfers" },
        KeyTotpPeriod { en: "totp.period", nl: "totp-periode" },
        KeyTotpEnrolledAt { en: "totp.enrolled_at", nl: "totp ingesteld op" },
        KeyError { en: "error", nl: "fout" },
        Unlocked { en: "{user}: unlocked", nl: "{user}: gedeblokkeerd" },
        StepOutOfRange {
            en: "{file}: STEP_SIZE out of range",
            nl: "{file}: STEP_SIZE valt buiten het toegestane bereik",
        },
        NotARegularFile { en: "{file}: not a regular file", nl: "{file}: geen gewoon bestand" },
        Imported(count) {
            en: {
                one: "{user}: imported the TOTP secret (step {period} s) and {count} scratch code as a backup code",
                other: "{user}: imported the TOTP secret (step {period} s) and {count} scratch codes as backup codes",
            },
            nl: {
                one: "{user}: TOTP-geheim (stap {period} s) en {count} scratch-code als back-upcode geïmporteerd",
                other: "{user}: TOTP-geheim (stap {period} s) en {count} scratch-codes als back-upcodes geïmporteerd",
            },
        },
        RateLimitReplaced {
            en: "note: the file's RATE_LIMIT {tries} {secs} is replaced by mfad's own limits (per account, kept across restarts)",
            nl: "let op: de RATE_LIMIT {tries} {secs} uit het bestand wordt vervangen door de eigen limieten van mfad (per account, blijven bewaard bij een herstart)",
        },
        ReuseNotAllowed {
            en: "note: the file allowed reusing a code; mfad always accepts each code once",
            nl: "let op: het bestand stond hergebruik van een code toe; mfad accepteert elke code altijd maar één keer",
        },
        Warning { en: "warning: {warning}", nl: "waarschuwing: {warning}" },
        NoSuchAccount {
            en: "warning: this host has no account named {user}; the change is made, but nobody logs in as {user} until such an account exists (a typo?)",
            nl: "waarschuwing: deze machine heeft geen account {user}; de wijziging is gedaan, maar niemand meldt zich aan als {user} zolang dat account niet bestaat (een tikfout?)",
        },
        AccountLookupFailed {
            en: "warning: cannot tell whether an account named {user} exists ({error})",
            nl: "waarschuwing: kan niet nagaan of er een account {user} bestaat ({error})",
        },
        BackupCodesFor {
            en: "Backup codes for {user}. Each works once; keep them somewhere safe, they are not shown again:",
            nl: "Back-upcodes voor {user}. Elke code werkt één keer; bewaar ze op een veilige plek, ze worden niet opnieuw getoond:",
        },
        Removed { en: "{user}: {method} removed", nl: "{user}: {method} verwijderd" },
        NoUsers { en: "no users enrolled", nl: "geen gebruikers ingeschreven" },
        ColumnUser { en: "USER", nl: "GEBRUIKER" },
        ColumnMethods { en: "METHODS", nl: "METHODEN" },
        ColumnLocked { en: "LOCKED", nl: "GEBLOKKEERD" },
        ColumnFailures { en: "FAILURES", nl: "MISLUKT" },
        BackupLeft { en: "backup ({left} left)", nl: "backup ({left} over)" },
        UnreadableRecord {
            en: "unreadable record: {error}",
            nl: "onleesbaar gebruikersbestand: {error}",
        },
        ResetNeedsTerminal {
            en: "refusing to reset {user} without confirmation: stdin is not a terminal; pass --yes to reset anyway",
            nl: "{user} wordt niet gereset zonder bevestiging: stdin is geen terminal; geef --yes mee om toch te resetten",
        },
        ResetDone {
            en: "{user}: reset (every method, failure and lock removed)",
            nl: "{user}: gereset (alle methoden, mislukte pogingen en de blokkering verwijderd)",
        },
        NothingToReset {
            en: "{user}: nothing to reset (no record)",
            nl: "{user}: niets te resetten (geen gegevens)",
        },
        ResetSummary {
            en: "{user}: methods {methods}; locked: {locked}; failures: {failures}",
            nl: "{user}: methoden {methods}; geblokkeerd: {locked}; mislukte pogingen: {failures}",
        },
        ResetQuestion {
            en: "Reset {user}: remove every method, the failure count and the lock? {user} cannot log in until enrolled again (unless unenrolled users are allowed). [y/N] ",
            nl: "{user} resetten: alle methoden, het aantal mislukte pogingen en de blokkering verwijderen? {user} kan zich pas weer aanmelden na een nieuwe inschrijving (tenzij gebruikers zonder tweede factor worden toegelaten). [j/N] ",
        },
        CannotReadAnswer {
            en: "cannot read the answer: {error}",
            nl: "kan het antwoord niet lezen: {error}",
        },
        NotReset { en: "{user}: not reset", nl: "{user}: niet gereset" },
        NoAuditEntries { en: "no audit entries", nl: "geen auditregels" },
        NoAuditEntriesAbout {
            en: "no audit entries about {user}",
            nl: "geen auditregels over {user}",
        },
    }
}

impl Msg {
    /// The label for a key of the daemon's status map, if it is one we know.
    pub fn for_status_key(key: &str) -> Option<Msg> {
        Some(match key {
            "user" => Msg::KeyUser,
            "methods" => Msg::KeyMethods,
            "phone" => Msg::KeyPhone,
            "phone.verified_at" => Msg::KeyPhoneVerifiedAt,
            "push.gateway" => Msg::KeyPushGateway,
            "push.enrolled_at" => Msg::KeyPushEnrolledAt,
            "backup_codes_left" => Msg::KeyBackupCodesLeft,
            "locked" => Msg::KeyLocked,
            "failures" => Msg::KeyFailures,
            "last_failure" => Msg::KeyLastFailure,
            "totp.algorithm" => Msg::KeyTotpAlgorithm,
            "totp.digits" => Msg::KeyTotpDigits,
            "totp.period" => Msg::KeyTotpPeriod,
            "totp.enrolled_at" => Msg::KeyTotpEnrolledAt,
            "error" => Msg::KeyError,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_config::Language;

    #[test]
    fn every_message_exists_in_english_and_dutch_and_differs() {
        mfa_proto::i18n::assert_complete(Msg::ALL, &[]);
    }

    #[test]
    fn english_status_labels_are_the_daemons_keys() {
        for key in [
            "user",
            "methods",
            "phone",
            "phone.verified_at",
            "push.gateway",
            "push.enrolled_at",
            "backup_codes_left",
            "locked",
            "failures",
            "last_failure",
            "totp.algorithm",
            "totp.digits",
            "totp.period",
            "totp.enrolled_at",
            "error",
        ] {
            let m = Msg::for_status_key(key).expect("known key");
            assert_eq!(m.text(Language::En), key);
        }
        assert_eq!(Msg::for_status_key("something.new"), None);
    }
}
