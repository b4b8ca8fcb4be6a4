//! Every finding, fix and summary word of `mfa doctor`, in English and Dutch. Keys, file names,
//! PAM and sshd_config lines, commands and the config's own problems are data: they are
//! inserted as they are. The tags (`[ OK ]`, `[WARN]`, `[FAIL]`, `[SKIP]`) and the counts on the
//! summary line are the same in every language, so scripts can look for them. The PAM stack
//! checks' own messages live beside them, in `pam_stacks/messages.rs`.

use crate::i18n::catalog;

catalog! {
    pub enum Msg {
        // report
        FixLabel { en: "fix:", nl: "oplossing:" },
        Skipped { en: ", {count} skipped", nl: ", {count} overgeslagen" },
        VerdictFail {
            en: "logins would break or are not protected: fix the FAIL lines first",
            nl: "aanmeldingen zouden mislukken of zijn niet beschermd: los eerst de FAIL-regels op",
        },
        VerdictWarn {
            en: "nothing blocks logins, but read the WARN lines",
            nl: "niets blokkeert aanmeldingen, maar lees de WARN-regels",
        },
        VerdictOk { en: "no problems found", nl: "geen problemen gevonden" },
        StateDirReadable {
            en: "state: {user} can read everything in {dir}",
            nl: "status: {user} kan alles in {dir} lezen",
        },
        StateDirUnreadable {
            en: "state: {user} (the daemon's user) cannot read {count} path(s) in {dir}: {files}; the daemon then cannot load those users, and the audit log may be silently off",
            nl: "status: {user} (de gebruiker van de daemon) kan {count} pad(en) in {dir} niet lezen: {files}; de daemon kan die gebruikers dan niet laden, en het auditlogboek staat mogelijk ongemerkt uit",
        },
        StateDirUnreadableFix {
            en: "give them to the daemon: chown -R {user}:{user} {dir}",
            nl: "geef ze aan de daemon: chown -R {user}:{user} {dir}",
        },
        DoFirst { en: "; do this first: {fix}", nl: "; doe eerst dit: {fix}" },
        WouldLockOut { en: "Would lock out:", nl: "Zou buitensluiten:" },
        Or { en: "or", nl: "of" },
        And { en: "and", nl: "en" },

        // the run as a whole
        SshdConfigUnreadable {
            en: "sshd_config: cannot read {path} ({error})",
            nl: "sshd_config: kan {path} niet lezen ({error})",
        },
        SshdConfigUnreadableFix { en: "make it readable by root", nl: "maak het bestand leesbaar voor root" },
        NoRuntime {
            en: "daemon: cannot start the async runtime ({error})",
            nl: "daemon: kan de async-runtime niet starten ({error})",
        },
        NoRuntimeFix { en: "run mfa doctor again", nl: "voer mfa doctor opnieuw uit" },
        UsersNotChecked { en: "users: not checked", nl: "gebruikers: niet gecontroleerd" },
        NotInstalled {
            en: "{service}: not installed ({marker} not found), nothing to check",
            nl: "{service}: niet geïnstalleerd ({marker} niet gevonden), niets te controleren",
        },
        StackUnreadable {
            en: "{service}: cannot read {path} ({error}): libpam falls back to {other}, which has no pam_mfa.so, so {service} logins are not protected",
            nl: "{service}: kan {path} niet lezen ({error}): libpam valt terug op {other}, waarin geen pam_mfa.so staat, dus aanmeldingen via {service} zijn niet beschermd",
        },
        StackUnreadableFix {
            en: "create {path} with the password module and `auth required pam_mfa.so` (README, \"Installing by hand\")",
            nl: "maak {path} aan met de wachtwoordmodule en `auth required pam_mfa.so` (README, \"Installing by hand\")",
        },
        UsersNotRoot {
            en: "users: not checked: run mfa doctor as root (mfad's Admin interface answers only root)",
            nl: "gebruikers: niet gecontroleerd: voer mfa doctor uit als root (de Admin-interface van mfad antwoordt alleen root)",
        },
        UsersDaemonDown {
            en: "users: not checked: mfad is not running, so nobody can say who is enrolled",
            nl: "gebruikers: niet gecontroleerd: mfad draait niet, dus niemand kan zeggen wie wat heeft ingesteld",
        },
        UsersConfigBad {
            en: "users: not checked: the config has problems, so the policy is unknown",
            nl: "gebruikers: niet gecontroleerd: de configuratie bevat fouten, dus het beleid is onbekend",
        },
        UsersNoBus {
            en: "users: not checked: no system bus",
            nl: "gebruikers: niet gecontroleerd: geen systeembus",
        },
        PasswdUnreadable {
            en: "users: cannot read {path} ({error})",
            nl: "gebruikers: kan {path} niet lezen ({error})",
        },
        PasswdUnreadableFix {
            en: "check by hand with `mfa admin status USER` for every user who logs in",
            nl: "controleer met de hand met `mfa admin status GEBRUIKER`, voor elke gebruiker die zich aanmeldt",
        },

        // daemon
        ConfigValid {
            en: "config: {path} is valid (mfad --check-config would say OK)",
            nl: "configuratie: {path} is geldig (mfad --check-config zou OK zeggen)",
        },
        StoreAnswers {
            en: "store: the database answers and its schema is current",
            nl: "opslag: de database antwoordt en het schema is actueel",
        },
        StoreUnreachable { en: "store: {error}", nl: "opslag: {error}" },
        StoreUnreachableFix {
            en: "check [store] url_file and the database server (until it answers, every login fails closed as \"unavailable\"); if the schema is behind, run mfad --migrate",
            nl: "controleer [store] url_file en de databaseserver (tot die antwoordt mislukt elke aanmelding als \"niet beschikbaar\"); loopt het schema achter, voer dan mfad --migrate uit",
        },
        ConfigProblem { en: "config: {path}: {problem}", nl: "configuratie: {path}: {problem}" },
        ConfigFixCorrect {
            en: "correct it; mfad refuses to start with a bad config (check again with `mfad --check-config --config {path}`)",
            nl: "corrigeer dit; mfad start niet met een foute configuratie (controleer opnieuw met `mfad --check-config --config {path}`)",
        },
        ConfigFixInstall {
            en: "install the example: install -m 0644 etc/mfa/mfad.toml {path} (README, \"Installing by hand\")",
            nl: "installeer het voorbeeld: install -m 0644 etc/mfa/mfad.toml {path} (README, \"Installing by hand\")",
        },
        DaemonNoBus {
            en: "daemon: cannot reach the system bus ({error}): pam_mfa cannot ask mfad, so every protected login fails",
            nl: "daemon: kan de systeembus niet bereiken ({error}): pam_mfa kan mfad niets vragen, dus elke beschermde aanmelding mislukt",
        },
        DaemonNoBusFix {
            en: "start D-Bus: systemctl start dbus; then start mfad: systemctl start mfad",
            nl: "start D-Bus: systemctl start dbus; start daarna mfad: systemctl start mfad",
        },
        DaemonUnreachable {
            en: "daemon: {why}: pam_mfa denies every protected login",
            nl: "daemon: {why}: pam_mfa weigert elke beschermde aanmelding",
        },
        DaemonUnreachableFix {
            en: "start mfad: systemctl start mfad (and `systemctl enable mfad` for boot); without systemd: service mfad start",
            nl: "start mfad: systemctl start mfad (en `systemctl enable mfad` voor het opstarten); zonder systemd: service mfad start",
        },
        BusDoesNotAnswer {
            en: "the bus does not answer ({error})",
            nl: "de bus antwoordt niet ({error})",
        },
        DaemonNotRunning {
            en: "mfad is not running ({name} has no owner on the bus)",
            nl: "mfad draait niet ({name} heeft geen eigenaar op de bus)",
        },
        CannotAskBus {
            en: "cannot ask the bus about {name} ({error})",
            nl: "kan de bus niets vragen over {name} ({error})",
        },
        CannotTellOwner {
            en: "cannot tell who owns {name} ({error})",
            nl: "kan niet vaststellen van wie {name} is ({error})",
        },
        DaemonActivatable {
            en: "daemon: mfad is not running; D-Bus will start it for the first login ({name} is activatable), which makes that login slower",
            nl: "daemon: mfad draait niet; D-Bus start het bij de eerste aanmelding ({name} is activeerbaar), waardoor die aanmelding trager is",
        },
        DaemonActivationDead {
            en: "daemon: mfad is not running, and D-Bus cannot start it: {file} runs /bin/false and leaves the start to systemd, which does not run on this host; pam_mfa denies every protected login",
            nl: "daemon: mfad draait niet, en D-Bus kan het niet starten: {file} voert /bin/false uit en laat het starten aan systemd over, dat op deze machine niet draait; pam_mfa weigert elke beschermde aanmelding",
        },
        DaemonActivationDeadFix {
            en: "start it with service mfad start (and `update-rc.d mfad defaults` to start it at boot)",
            nl: "start het met service mfad start (en `update-rc.d mfad defaults` om het bij het opstarten te starten)",
        },
        DaemonActivatableFix {
            en: "start mfad: systemctl enable --now mfad",
            nl: "start mfad nu en bij elke systeemstart: systemctl enable --now mfad",
        },
        DaemonWrongOwner {
            en: "daemon: {name} is owned by uid {owner}, but {service}'s pam_mfa trusts only uid {allowed}: it refuses to talk to it, so every login fails",
            nl: "daemon: {name} is van uid {owner}, maar de pam_mfa van {service} vertrouwt alleen uid {allowed}: die weigert ermee te praten, dus elke aanmelding mislukt",
        },
        DaemonWrongOwnerFix {
            en: "run mfad as root or as the `{user}` user (User= in mfad.service), or add daemon_uid={owner} to the pam_mfa.so line",
            nl: "laat mfad draaien als root of als de gebruiker `{user}` (User= in mfad.service), of voeg daemon_uid={owner} toe aan de regel met pam_mfa.so",
        },
        DaemonRunning {
            en: "daemon: mfad is running ({name} owned by uid {owner})",
            nl: "daemon: mfad draait ({name} is van uid {owner})",
        },

        // clock
        ClockOffBySecs { en: "more than {secs} s off", nl: "meer dan {secs} s afwijkt" },
        ClockOffByWindow {
            en: "off by more than the verification window",
            nl: "meer afwijkt dan het verificatievenster",
        },
        ClockUnsynced {
            en: "clock: the system clock is not synchronised (the kernel reports STA_UNSYNC); authenticator codes follow the time, and a clock {tolerance} rejects every code",
            nl: "klok: de systeemklok is niet gesynchroniseerd (de kernel meldt STA_UNSYNC); codes van de authenticator-app volgen de tijd, en een klok die {tolerance}, weigert elke code",
        },
        ClockUnsyncedFix {
            en: "enable time synchronisation: timedatectl set-ntp true (systemd-timesyncd), or install chrony",
            nl: "zet tijdsynchronisatie aan: timedatectl set-ntp true (systemd-timesyncd), of installeer chrony",
        },
        ClockSynced {
            en: "clock: synchronised (estimated error {ms} ms)",
            nl: "klok: gesynchroniseerd (geschatte afwijking {ms} ms)",
        },
        ClockUnreadable {
            en: "clock: cannot read the kernel clock state ({error})",
            nl: "klok: kan de klokstatus van de kernel niet lezen ({error})",
        },
        ClockUnreadableFix {
            en: "check time synchronisation by hand: timedatectl show -p NTPSynchronized",
            nl: "controleer de tijdsynchronisatie met de hand: timedatectl show -p NTPSynchronized",
        },

        // users
        UsersNoAdmin {
            en: "users: cannot use mfad's Admin interface ({error})",
            nl: "gebruikers: kan de Admin-interface van mfad niet gebruiken ({error})",
        },
        UsersCannotAsk {
            en: "users: cannot ask mfad about {user} ({error})",
            nl: "gebruikers: kan mfad niets vragen over {user} ({error})",
        },
        UsersNothingEnrolled {
            en: "users: {user} (uid {uid}) has nothing enrolled, and unenrolled = \"deny\" for {services}: they cannot log in there",
            nl: "gebruikers: {user} (uid {uid}) heeft niets ingesteld, en unenrolled = \"deny\" voor {services}: die gebruiker kan zich daar niet aanmelden",
        },
        UsersRootNothingEnrolled {
            en: "users: {user} (uid {uid}) has nothing enrolled, and unenrolled = \"deny\" for {services}: root cannot log in there, not even at the console",
            nl: "gebruikers: {user} (uid {uid}) heeft niets ingesteld, en unenrolled = \"deny\" voor {services}: root kan zich daar niet aanmelden, zelfs niet op de console",
        },
        UsersLocked {
            en: "users: {user} (uid {uid}) is locked after too many failed codes",
            nl: "gebruikers: {user} (uid {uid}) is geblokkeerd na te veel foute codes",
        },
        UsersAllowed {
            en: "unenrolled users are let through (unenrolled = \"allow\" for login, sshd, su and sudo)",
            nl: "gebruikers zonder tweede factor worden doorgelaten (unenrolled = \"allow\" voor login, sshd, su en sudo)",
        },
        UsersAllCanLogIn(count) {
            en: { one: "{count} login user can log in", other: "all {count} login users can log in" },
            nl: {
                one: "{count} gebruiker met een login kan zich aanmelden",
                other: "alle {count} gebruikers met een login kunnen zich aanmelden",
            },
        },
        UsersOk { en: "users: {policy}: {users}", nl: "gebruikers: {policy}: {users}" },
        UsersNoneFound { en: "none found", nl: "geen gevonden" },

        // sshd_config
        IncludeTooDeep {
            en: "{at}: Include nested too deeply",
            nl: "{at}: Include te diep genest",
        },
        SshdRefuses {
            en: "sshd_config: {error}: sshd refuses to start",
            nl: "sshd_config: {error}: sshd weigert te starten",
        },
        SshdRefusesFix { en: "flatten the Include chain", nl: "maak de keten van Includes korter" },
        ForMatch {
            en: "for connections matching `Match {criteria}` ({location}): {finding}",
            nl: "voor verbindingen die passen bij `Match {criteria}` ({location}): {finding}",
        },
        ChangeLine {
            en: "change line {line} of {file} to `{setting}`",
            nl: "verander regel {line} van {file} in `{setting}`",
        },
        AddSetting {
            en: "add `{setting}` to {file}, before any Match block",
            nl: "voeg `{setting}` toe aan {file}, vóór elk Match-blok",
        },
        UsePamOk {
            en: "sshd_config: UsePAM yes: sshd runs the PAM stack",
            nl: "sshd_config: UsePAM yes: sshd voert de PAM-stack uit",
        },
        UsePamUnset {
            en: "UsePAM is not set (sshd's default is no)",
            nl: "UsePAM is niet ingesteld (de standaard van sshd is no)",
        },
        UsePamOff {
            en: "sshd_config: {why}: sshd never runs the PAM stack, so pam_mfa is never asked",
            nl: "sshd_config: {why}: sshd voert de PAM-stack nooit uit, dus pam_mfa wordt nooit gevraagd",
        },
        KbdOn {
            en: "sshd_config: keyboard-interactive is on ({key} yes at {location})",
            nl: "sshd_config: keyboard-interactive staat aan ({key} yes op {location})",
        },
        KbdOff {
            en: "sshd_config: {key} {value} ({location}): sshd never shows the code prompt, so nobody can log in with a code",
            nl: "sshd_config: {key} {value} ({location}): sshd toont nooit de vraag om de code, dus niemand kan zich met een code aanmelden",
        },
        KbdUnset {
            en: "sshd_config: KbdInteractiveAuthentication is not set: sshd's default (yes) applies, but the code prompt should not hang on a default that distributions change (Debian's stock sshd_config says no)",
            nl: "sshd_config: KbdInteractiveAuthentication is niet ingesteld: de standaard van sshd (yes) geldt, maar de vraag om de code mag niet afhangen van een standaard die distributies veranderen (de standaard-sshd_config van Debian zegt no)",
        },
        PasswordUnset {
            en: "PasswordAuthentication is not set (sshd's default is yes)",
            nl: "PasswordAuthentication is niet ingesteld (de standaard van sshd is yes)",
        },
        NoAuthenticationMethods {
            en: "there is no AuthenticationMethods",
            nl: "er is geen AuthenticationMethods",
        },
        WaysFix {
            en: "`AuthenticationMethods keyboard-interactive` (or `publickey,keyboard-interactive`)",
            nl: "`AuthenticationMethods keyboard-interactive` (of `publickey,keyboard-interactive`)",
        },
        PasswordFix { en: "{place}, and set {ways}", nl: "{place}, en stel {ways} in" },
        SetWaysIn { en: "set {ways} in {file}", nl: "zet {ways} in {file}" },
        AmAllowsPassword {
            en: "{am} allows the \"password\" method and {pw}",
            nl: "{am} staat de methode \"password\" toe en {pw}",
        },
        PasswordCanLogIn {
            en: "{pw} and {am}, so the \"password\" method can log in",
            nl: "{pw} en {am}, dus met de methode \"password\" kan men zich aanmelden",
        },
        PasswordMethod {
            en: "sshd_config: {allows}: with it sshd answers every PAM prompt, the code prompt too, with the password, so those logins fail",
            nl: "sshd_config: {allows}: daarmee beantwoordt sshd elke PAM-vraag, ook de vraag om de code, met het wachtwoord, dus die aanmeldingen mislukken",
        },
        CodelessOne {
            en: "sshd_config: {am}, so {methods} alone logs in without a code",
            nl: "sshd_config: {am}, dus met alleen {methods} kan men zich zonder code aanmelden",
        },
        CodelessMany {
            en: "sshd_config: {am}, so {methods} alone log in without a code",
            nl: "sshd_config: {am}, dus met alleen {methods} kan men zich zonder code aanmelden",
        },
        NoMethodCanSucceed {
            en: "sshd_config: {am}: no list of methods can succeed, nobody can log in",
            nl: "sshd_config: {am}: geen enkele lijst van methoden kan slagen, niemand kan zich aanmelden",
        },
        EveryWayAsks {
            en: "sshd_config: every way in asks for the code ({am})",
            nl: "sshd_config: elke manier van aanmelden vraagt om de code ({am})",
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
