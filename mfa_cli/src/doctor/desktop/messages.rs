//! The desktop checks' findings and fixes, in English and Dutch. Program names, paths, pam.d
//! lines and arguments are data, inserted as they are.

use crate::i18n::catalog;

catalog! {
    pub enum Msg {
        Reaches {
            en: "{program}: {path} reaches pam_mfa.so ({location}) without {arg}: {problem}",
            nl: "{program}: {path} komt bij pam_mfa.so ({location}) zonder {arg}: {problem}",
        },
        BeforeEnable {
            en: "{program}: {path} includes common-auth: once `pam-auth-update --enable mfa` adds pam_mfa.so there, {problem}",
            nl: "{program}: {path} neemt common-auth op: zodra `pam-auth-update --enable mfa` daar pam_mfa.so toevoegt, {problem}",
        },
        Fine {
            en: "{program}: {path} has pam_mfa.so ({location}) with {arg}",
            nl: "{program}: {path} heeft pam_mfa.so ({location}) met {arg}",
        },
        ArgsRefused {
            en: "{program}: pam_mfa.so at {location} has an argument it refuses ({reason}): every attempt through {path} fails",
            nl: "{program}: pam_mfa.so op {location} heeft een argument dat de module weigert ({reason}): elke poging via {path} mislukt",
        },
        ArgsRefusedFix {
            en: "correct the pam_mfa.so line (man pam_mfa, docs/desktop.md)",
            nl: "verbeter de regel met pam_mfa.so (man pam_mfa, docs/desktop.md)",
        },

        SingleBufferPasswordFirst {
            en: "{program}: {path}: {module} ({module_at}) runs before pam_mfa.so single_buffer= ({location}), so it gets password+code as the password and nobody can unlock",
            nl: "{program}: {path}: {module} ({module_at}) draait vóór pam_mfa.so single_buffer= ({location}), dus die krijgt wachtwoord+code als wachtwoord en niemand kan ontgrendelen",
        },
        SingleBufferNoFirstPass {
            en: "{program}: {path}: {module} ({module_at}) after pam_mfa.so single_buffer= ({location}) asks for the password again (no use_first_pass), and {program} answers with password+code, so nobody can unlock",
            nl: "{program}: {path}: {module} ({module_at}) na pam_mfa.so single_buffer= ({location}) vraagt opnieuw om het wachtwoord (geen use_first_pass), en {program} antwoordt met wachtwoord+code, dus niemand kan ontgrendelen",
        },
        SingleBufferProblem {
            en: "{program} answers every prompt with the one typed text, so the code prompt gets the password again and nobody can unlock",
            nl: "{program} beantwoordt elke vraag met dezelfde getypte tekst, dus de codevraag krijgt opnieuw het wachtwoord en niemand kan ontgrendelen",
        },
        SingleBufferFix {
            en: "give {path} its own auth lines, in place of its includes: `auth required pam_mfa.so single_buffer=+` then `auth required pam_unix.so use_first_pass`; users type password+code (docs/desktop.md)",
            nl: "geef {path} eigen auth-regels, in plaats van wat het opneemt: `auth required pam_mfa.so single_buffer=+` en dan `auth required pam_unix.so use_first_pass`; gebruikers typen wachtwoord+code (docs/desktop.md)",
        },
        NoSecondPromptProblem {
            en: "{program}'s stock greeter asks for a password only, so the code prompt cannot be answered and nobody can log in there",
            nl: "het standaardaanmeldscherm van {program} vraagt alleen om een wachtwoord, dus de codevraag kan niet beantwoord worden en niemand kan zich daar aanmelden",
        },
        NoSecondPromptFix {
            en: "read docs/desktop.md (SDDM): leave pam_mfa.so out of {path} (password only at the greeter), or give it `auth required pam_mfa.so single_buffer=+` then `auth required pam_unix.so use_first_pass` (password+code in the one field)",
            nl: "lees docs/desktop.md (SDDM): laat pam_mfa.so weg uit {path} (alleen het wachtwoord bij het aanmeldscherm), of geef het `auth required pam_mfa.so single_buffer=+` en dan `auth required pam_unix.so use_first_pass` (wachtwoord+code in het ene veld)",
        },
        LockScreenProblem {
            en: "{program} marks a stack unavailable when it answers within 50 ms or with PAM_AUTHINFO_UNAVAIL, so a fast \"mfad is down\" can disable unlocking",
            nl: "{program} markeert een stack als onbeschikbaar als die binnen 50 ms of met PAM_AUTHINFO_UNAVAIL antwoordt, dus een snel \"mfad draait niet\" kan ontgrendelen onmogelijk maken",
        },
        LockScreenFix {
            en: "add `min_time=100 unavail=auth_err` to the pam_mfa.so line for {path} (docs/desktop.md)",
            nl: "voeg `min_time=100 unavail=auth_err` toe aan de regel met pam_mfa.so voor {path} (docs/desktop.md)",
        },
        OneLineProblem {
            en: "{program} shows each prompt on one line, so long prompts and the menu are cut off",
            nl: "{program} toont elke vraag op één regel, dus lange vragen en het menu worden afgekapt",
        },
        OneLineFix {
            en: "add `render=oneline` to the pam_mfa.so line for {path} (docs/desktop.md)",
            nl: "voeg `render=oneline` toe aan de regel met pam_mfa.so voor {path} (docs/desktop.md)",
        },
        OneLineOwnServiceFix {
            en: "run xsecurelock with XSECURELOCK_PAM_SERVICE=xsecurelock and give /etc/pam.d/xsecurelock its own lines with `render=oneline` ({path} serves every program; docs/desktop.md)",
            nl: "start xsecurelock met XSECURELOCK_PAM_SERVICE=xsecurelock en geef /etc/pam.d/xsecurelock eigen regels met `render=oneline` ({path} dient elk programma; docs/desktop.md)",
        },
    }
}
