//! `mfa enroll push`: choose an optional PIN, subscribe the ntfy app to the topic the daemon
//! made, then approve the test notification with the number shown here.

use super::messages::Msg;
use super::proxies::{explain, needs_reauth};
use super::{Session, reauthenticate};
use crate::pam_app::{Conversation, Style};
use std::time::Duration;

/// How long the test notification may take to be approved.
const WAIT: Duration = Duration::from_secs(300);

pub(super) async fn enroll_push(
    s: &mut Session<'_>,
    qr: crate::enrollment_view::QrArgs,
) -> Result<(), String> {
    let pin = ask_pin(s)?;
    let (url, topic, number) = match s.enroll.begin_push(&pin).await {
        Ok(started) => started,
        Err(e) if needs_reauth(&e) => {
            reauthenticate(s).await?;
            s.enroll.begin_push(&pin).await.map_err(explain)?
        }
        Err(e) => return Err(explain(e)),
    };
    println!("{}\n", Msg::PushSubscribe.text(s.lang));
    if let Ok(picture) = crate::enrollment_view::qr(&url, qr.background()) {
        println!("{picture}");
    }
    println!("{url}\n{topic}\n");
    println!("{}  {number}", Msg::PushTestSent.text(s.lang));
    let started = tokio::time::Instant::now();
    while started.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if s.enroll.confirm_push().await.map_err(explain)? == "linked" {
            println!("{}", Msg::PushActive.text(s.lang));
            return Ok(());
        }
    }
    Err(Msg::PushTimeout.text(s.lang).to_string())
}

/// Empty for none; asked twice so a typo does not lock the user out of push.
fn ask_pin(s: &mut Session<'_>) -> Result<String, String> {
    let first = s
        .conv
        .prompt(Style::EchoOff, Msg::PushPin.text(s.lang))
        .ok_or("no PIN typed")?;
    let first = first.trim().to_string();
    if first.is_empty() {
        return Ok(first);
    }
    let again = s
        .conv
        .prompt(Style::EchoOff, Msg::PushPinAgain.text(s.lang))
        .ok_or("no PIN typed")?;
    if again.trim() != first {
        return Err(Msg::PushPinMismatch.text(s.lang).to_string());
    }
    Ok(first)
}
