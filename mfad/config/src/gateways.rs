//! The types of `[gateways.NAME]`: how the daemon reaches one SMS or voice provider.
//! `gateways_schema` reads them from the file. Secrets are never in the file: only the path of
//! a file or the name of a systemd credential that holds them ([`SecretRef`]).

use std::path::PathBuf;
use std::time::Duration;

/// One `[gateways.NAME]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayConfig {
    /// Limit for one whole request (connect, send, response body), 1 s ..= 60 s.
    pub timeout: Duration,
    pub kind: GatewayKind,
}

/// The `kind` of a gateway and its own keys.
#[derive(Debug, Clone, PartialEq)]
pub enum GatewayKind {
    Twilio(TwilioGateway),
    Http(HttpGateway),
    Exec(ExecGateway),
    Ntfy(NtfyGateway),
}

impl GatewayKind {
    /// The `kind` word as written in the file.
    pub fn as_str(&self) -> &'static str {
        match self {
            GatewayKind::Twilio(_) => "twilio",
            GatewayKind::Http(_) => "http",
            GatewayKind::Exec(_) => "exec",
            GatewayKind::Ntfy(_) => "ntfy",
        }
    }

    /// Whether this kind can send texts (all but ntfy).
    pub fn can_sms(&self) -> bool {
        !matches!(self, GatewayKind::Ntfy(_))
    }

    /// Whether this kind can send push notifications (ntfy only).
    pub fn can_push(&self) -> bool {
        matches!(self, GatewayKind::Ntfy(_))
    }

    /// Whether this kind can place calls (twilio only).
    pub fn can_call(&self) -> bool {
        matches!(self, GatewayKind::Twilio(_))
    }
}

/// Where a secret is read from when the daemon starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// `*_file`: an absolute path; the file must not be a symlink nor readable by others.
    File(PathBuf),
    /// `*_credential`: a name under `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
    Credential(String),
}

/// `kind = "twilio"`: Programmable Messaging and Voice.
#[derive(Debug, Clone, PartialEq)]
pub struct TwilioGateway {
    /// Without a trailing slash; `https://api.twilio.com` unless a test points it at a stub.
    pub base_url: String,
    /// `AC` + 32 hex digits.
    pub account_sid: String,
    pub auth_token: SecretRef,
    /// The sender: an E.164 number, or an alphanumeric sender ID (texts only).
    pub from: String,
}

/// `kind = "ntfy"`: push notifications through an ntfy server (publish as JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct NtfyGateway {
    /// The server, without a trailing slash.
    pub base_url: String,
    /// An access token (`tk_…`), sent as `Authorization: Bearer`.
    pub token: Option<SecretRef>,
}

/// `kind = "http"`: any HTTP SMS gateway (privacyIDEA's HttpSMSProvider, stricter).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpGateway {
    pub url: String,
    pub method: HttpMethod,
    pub body: HttpBody,
    /// Request parameters in file order; `{phone}`, `{message}` and `{code}` are filled in.
    pub fields: Vec<(String, FieldValue)>,
    /// HTTP Basic auth: the user name and where its password is.
    pub basic_auth: Option<(String, SecretRef)>,
    /// Statuses that mean "sent" (200, 201, 202 unless set).
    pub success_status: Vec<u16>,
    /// A regular expression the response body must match to count as sent.
    pub success_pattern: Option<String>,
    /// A regular expression that, when the body matches, means the gateway refused the number.
    pub failure_pattern: Option<String>,
    pub phone_format: PhoneFormat,
}

/// One request parameter of an http gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    /// A JSON array of strings; repeated parameters in a form or query.
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Post,
    Get,
}

/// How an http gateway sends `fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpBody {
    /// `application/x-www-form-urlencoded` body.
    Form,
    /// A JSON object, built structurally.
    Json,
    /// In the URL's query string, no body.
    Query,
}

/// How `{phone}` is written for an http or exec gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneFormat {
    /// `+31612345678`
    E164,
    /// `31612345678`
    E164Digits,
    /// `0031612345678`
    International00,
}

impl PhoneFormat {
    /// `e164` (`+` and digits) written in this format.
    pub fn apply(self, e164: &str) -> String {
        let digits = e164.strip_prefix('+').unwrap_or(e164);
        match self {
            PhoneFormat::E164 => format!("+{digits}"),
            PhoneFormat::E164Digits => digits.to_owned(),
            PhoneFormat::International00 => format!("00{digits}"),
        }
    }
}

/// `kind = "exec"`: a program run without a shell.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecGateway {
    /// `argv[0]` is an absolute path; each argument may hold `{phone}`, `{message}`, `{code}`.
    pub argv: Vec<String>,
    /// Written to the program's standard input (`{message}` unless set).
    pub stdin: String,
    pub phone_format: PhoneFormat,
}

/// Placeholders allowed in gateway templates.
pub const GATEWAY_PLACEHOLDERS: &[&str] = &["phone", "message", "code"];
