//! The findings and fixes of the PAM stack checks of `mfa doctor`, in English and Dutch. PAM
//! lines, paths and module names are data: they are inserted as they are.

use mfa_proto::i18n::catalog;

catalog! {
    pub enum Msg {
        // pam.d stacks: lines libpam cannot use
        IncludeWithoutFile {
            en: "{at}: @include without a file",
            nl: "{at}: @include zonder bestand",
        },
        AuthLineIncomplete {
            en: "{at}: an auth line needs a control and a module",
            nl: "{at}: een auth-regel heeft een control en een module nodig",
        },
        IncludeLoop {
            en: "{at}: includes {path} in a loop",
            nl: "{at}: neemt {path} op in een kring",
        },
        IncludeUnreadable {
            en: "{at}: includes {path}, which cannot be read ({error})",
            nl: "{at}: neemt {path} op, dat niet te lezen is ({error})",
        },
        UnknownControl { en: "unknown control {text}", nl: "onbekende control {text}" },
        NotValueAction {
            en: "{pair} in {text} is not value=action",
            nl: "{pair} in {text} is geen waarde=actie",
        },
        UnknownAction {
            en: "unknown action {action} in {text}",
            nl: "onbekende actie {action} in {text}",
        },
        // pam.d stacks: verdicts
        StackError {
            en: "{service}: {error}: libpam fails every authentication through this stack",
            nl: "{service}: {error}: libpam laat elke authenticatie via deze stack mislukken",
        },
        StackErrorFix { en: "fix or remove that line", nl: "herstel of verwijder die regel" },
        BadControl {
            en: "{service}: {line} at {location}: {why}: libpam fails every authentication through this stack",
            nl: "{service}: {line} op {location}: {why}: libpam laat elke authenticatie via deze stack mislukken",
        },
        BadControlFix {
            en: "use required, requisite, sufficient, optional or [value=action …] (pam.conf(5))",
            nl: "gebruik required, requisite, sufficient, optional of [value=action …] (pam.conf(5))",
        },
        NoMfa {
            en: "{service}: pam_mfa.so is not in the auth stack of {path}: {service} logins are not protected by a second factor",
            nl: "{service}: pam_mfa.so staat niet in de auth-stack van {path}: aanmeldingen via {service} zijn niet beschermd door een tweede factor",
        },
        NoMfaFixSshd {
            en: "in {path}, replace `@include common-auth` with `auth requisite pam_unix.so nullok` and `auth required pam_mfa.so` (README, \"Installing by hand\")",
            nl: "vervang in {path} `@include common-auth` door `auth requisite pam_unix.so nullok` en `auth required pam_mfa.so` (README, \"Installing by hand\")",
        },
        NoMfaFixSudo {
            en: "in {path}, add `auth required pam_mfa.so` after `@include common-auth`",
            nl: "voeg in {path} `auth required pam_mfa.so` toe na `@include common-auth`",
        },
        NoMfaFixOther {
            en: "in {path}, add `auth required pam_mfa.so` after the password module",
            nl: "voeg in {path} `auth required pam_mfa.so` toe na de wachtwoordmodule",
        },
        MfaBeforePassword {
            en: "{service}: pam_mfa.so ({mfa_at}) comes before the password module {module} ({module_at}): the code is asked before the password, of anyone who tries",
            nl: "{service}: pam_mfa.so ({mfa_at}) komt vóór de wachtwoordmodule {module} ({module_at}): de code wordt vóór het wachtwoord gevraagd, aan iedereen die het probeert",
        },
        MfaBeforePasswordFix {
            en: "in {path}, move `auth required pam_mfa.so` after the password module",
            nl: "zet in {path} `auth required pam_mfa.so` na de wachtwoordmodule",
        },
        MfaAloneKeyFirst {
            en: "{service}: pam_mfa.so alone in {path}; sshd asks for a public key first (AuthenticationMethods publickey,keyboard-interactive)",
            nl: "{service}: alleen pam_mfa.so in {path}; sshd vraagt eerst om een publieke sleutel (AuthenticationMethods publickey,keyboard-interactive)",
        },
        NoPassword {
            en: "{service}: no password module before pam_mfa.so in {path}: the code alone logs in",
            nl: "{service}: geen wachtwoordmodule vóór pam_mfa.so in {path}: de code alleen is genoeg om aan te melden",
        },
        NoPasswordFixSshd {
            en: "put `auth requisite pam_unix.so nullok` before pam_mfa.so in {path}, or make sshd ask for a key first: `AuthenticationMethods publickey,keyboard-interactive`",
            nl: "zet `auth requisite pam_unix.so nullok` vóór pam_mfa.so in {path}, of laat sshd eerst om een sleutel vragen: `AuthenticationMethods publickey,keyboard-interactive`",
        },
        NoPasswordFixOther {
            en: "put `@include common-auth` before pam_mfa.so in {path}",
            nl: "zet `@include common-auth` vóór pam_mfa.so in {path}",
        },
        RightPasswordEnds {
            en: "{service}: a right password ends the stack before pam_mfa.so: {line} at {location} succeeds without asking for the code",
            nl: "{service}: een juist wachtwoord beëindigt de stack vóór pam_mfa.so: {line} op {location} slaagt zonder om de code te vragen",
        },
        RightPasswordEndsFix {
            en: "make the password module requisite (`auth requisite {module} …`) and keep `auth required pam_mfa.so` after it",
            nl: "maak de wachtwoordmodule requisite (`auth requisite {module} …`) en laat `auth required pam_mfa.so` erna staan",
        },
        WrongPasswordReaches {
            en: "{service}: a wrong password still reaches the code prompt: {line} at {location} does not stop the stack. Anyone can then type wrong codes until the account is locked, and each attempt will cost a text message once SMS is enabled",
            nl: "{service}: een fout wachtwoord komt toch bij de vraag om de code: {line} op {location} stopt de stack niet. Iedereen kan dan foute codes typen tot het account geblokkeerd is, en zodra sms aan staat, kost elke poging een sms-bericht",
        },
        WrongPasswordReachesFix {
            en: "make it requisite: `auth requisite {module}{args}` (see the README, \"Installing by hand\")",
            nl: "maak deze requisite: `auth requisite {module}{args}` (zie de README, \"Installing by hand\")",
        },
        StackOk {
            en: "{service}: password ({module} at {pw_at}), then code (pam_mfa.so at {mfa_at}); a wrong password stops before the code prompt",
            nl: "{service}: wachtwoord ({module} op {pw_at}), dan code (pam_mfa.so op {mfa_at}); een fout wachtwoord stopt vóór de vraag om de code",
        },
        ModuleMissingDash {
            en: "libpam skips the line (`-auth`), so logins are not protected by a second factor",
            nl: "libpam slaat de regel over (`-auth`), dus aanmeldingen zijn niet beschermd door een tweede factor",
        },
        ModuleMissing {
            en: "libpam cannot load it, so every login through this stack fails",
            nl: "libpam kan de module niet laden, dus elke aanmelding via deze stack mislukt",
        },
        ModuleNotInstalled {
            en: "{service}: {module} ({location}) is not installed: {consequence}",
            nl: "{service}: {module} ({location}) is niet geïnstalleerd: {consequence}",
        },
        ModuleNotInstalledFix {
            en: "install -m 0644 target/release/libpam_mfa.so /usr/lib/x86_64-linux-gnu/security/pam_mfa.so (the module directory of your architecture)",
            nl: "install -m 0644 target/release/libpam_mfa.so /usr/lib/x86_64-linux-gnu/security/pam_mfa.so (de modulemap van uw architectuur)",
        },
        UnknownArgument {
            en: "{service}: pam_mfa.so refuses argument {arg} at {location} ({reason}): the module fails closed, so every login through this stack fails",
            nl: "{service}: pam_mfa.so weigert argument {arg} op {location} ({reason}): de module weigert dan alles, dus elke aanmelding via deze stack mislukt",
        },
        UnknownArgumentFix {
            en: "remove or correct it; the module takes bus=unix:path=…, daemon_uid=N, timeout=SECONDS (1–300), failmode=open|closed, nodelay and debug",
            nl: "verwijder of verbeter het; de module kent bus=unix:path=…, daemon_uid=N, timeout=SECONDS (1–300), failmode=open|closed, nodelay en debug",
        },
        NotAUid {
            en: "{service}: {arg} at {location} is not a uid: the module fails closed",
            nl: "{service}: {arg} op {location} is geen uid: de module weigert dan alles",
        },
        NotAUidFix {
            en: "use daemon_uid=N with the numeric uid mfad runs as",
            nl: "gebruik daemon_uid=N met de numerieke uid waaronder mfad draait",
        },
        AWrongCode { en: "a wrong code", nl: "een foute code" },
        ALockedAccount { en: "a locked account", nl: "een geblokkeerd account" },
        AnUnreachableMfad { en: "an unreachable mfad", nl: "een onbereikbare mfad" },
        MfaControlFails {
            en: "{service}: {line} at {location}: {what} does not stop the login",
            nl: "{service}: {line} op {location}: {what} houdt de aanmelding niet tegen",
        },
        MfaControlJumps {
            en: "{service}: {line} at {location}: {what} does not stop the login here, but jumps: check by hand that a failing module follows",
            nl: "{service}: {line} op {location}: {what} houdt de aanmelding hier niet tegen, maar springt verder: controleer met de hand dat er een module volgt die dan faalt",
        },
        MfaControlFix { en: "use `auth required pam_mfa.so`", nl: "gebruik `auth required pam_mfa.so`" },
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
