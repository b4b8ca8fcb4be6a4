//! The approval page's requests, free of HTTP: showing the form for a live link, and deciding
//! on the answer posted from it. The link's token is single use: the first answer decides, a
//! second one (or a reload after it) only learns that the link is used. A post must carry the
//! form's CSRF value and, when the browser says where it comes from, this site's origin.

use super::{GatewayPush, PendingPush, page};
use crate::audit::Level;
use crate::methods::push::texts::Page;
use crate::oob::Verdict;

/// The HTTP answer: a status and the HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageReply {
    pub status: u16,
    pub html: String,
}

impl GatewayPush {
    /// `GET`: the form while the link is live and unanswered.
    pub fn show(&self, token: &str) -> PageReply {
        match self.live(token) {
            Some(p) => PageReply {
                status: 200,
                html: page::form(&p, &self.page_url(token)),
            },
            None => self.gone(),
        }
    }

    /// `POST`: the user's answer.
    pub async fn answer(
        &self,
        token: &str,
        form: &[(String, String)],
        origin: Option<&str>,
    ) -> PageReply {
        let Some(p) = self.live(token) else {
            return self.gone();
        };
        // The page's own fields (the listener parsed the body; the page knows its names).
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let same_site = origin.is_none_or(|o| o == self.origin());
        let csrf_ok = bool::from(subtle::ConstantTimeEq::ct_eq(
            field("csrf").as_bytes(),
            p.csrf.as_bytes(),
        ));
        if !same_site || !csrf_ok {
            let note = format!("refused an approval post for {} from another page", p.user);
            self.audit.log(Level::Warning, &note);
            return PageReply {
                status: 403,
                html: page::result(p.lang, Page::Gone.text(p.lang)),
            };
        }
        let verdict = match field("decision") {
            "approve" => self.check(&p, field("number"), field("pin")).await,
            "deny" => Verdict::Denied,
            "report" => Verdict::Reported,
            _ => {
                return PageReply {
                    status: 400,
                    html: self.show(token).html,
                };
            }
        };
        if self.pending.decide(token, verdict).is_err() {
            return self.gone();
        }
        let (outcome, text) = match verdict {
            Verdict::Approved => ("approved", Page::Approved),
            Verdict::Denied => ("denied", Page::Denied),
            Verdict::Reported => ("reported as not theirs", Page::Reported),
            _ => ("wrong number or PIN", Page::Wrong),
        };
        self.audit
            .log(Level::Info, &format!("push for {}: {outcome}", p.user));
        if verdict == Verdict::Reported {
            let _ = self.reports.send(p.user.clone());
        }
        PageReply {
            status: 200,
            html: page::result(p.lang, text.text(p.lang)),
        }
    }

    /// The number (and the PIN, when one is asked), compared in constant time; the PIN's hash
    /// is computed off the async threads.
    async fn check(&self, p: &PendingPush, number: &str, pin: &str) -> Verdict {
        let number_ok = bool::from(subtle::ConstantTimeEq::ct_eq(
            number.trim().as_bytes(),
            p.number.as_bytes(),
        ));
        let pin_ok = match p.pin.clone() {
            Some(hash) => {
                let pin = pin.trim().to_owned();
                tokio::task::spawn_blocking(move || hash.matches(&pin))
                    .await
                    .unwrap_or(false)
            }
            None => true,
        };
        if number_ok && pin_ok {
            Verdict::Approved
        } else {
            Verdict::Rejected
        }
    }

    fn live(&self, token: &str) -> Option<PendingPush> {
        let well_formed = token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit());
        if !well_formed || self.pending.verdict(token) != Some(Verdict::Pending) {
            return None;
        }
        self.pending.detail(token)
    }

    fn gone(&self) -> PageReply {
        let lang = self.config.daemon.language;
        PageReply {
            status: 410,
            html: page::result(lang, Page::Gone.text(lang)),
        }
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    fn origin(&self) -> String {
        url::Url::parse(&self.public_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }
}
