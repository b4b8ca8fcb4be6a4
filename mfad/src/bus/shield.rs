//! Every D-Bus method handler runs inside a shield: a panic in it (a bug in any code it calls)
//! becomes a `Failed` error reply to that caller and a log line, instead of unwinding through
//! zbus's executor. The daemon stays up and serves the next call. Locks a handler holds are
//! released while unwinding (tokio's async mutexes are not poisoned), so the user is not locked
//! out by a crash.

use futures_util::FutureExt;
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// An error type a handler can reply with when it panicked.
pub trait PanicReply {
    fn from_panic(method: &str) -> Self;
}

impl PanicReply for zbus::fdo::Error {
    fn from_panic(method: &str) -> Self {
        zbus::fdo::Error::Failed(format!("internal error in {method}"))
    }
}

/// Runs a handler's future; a panic inside it is logged and turned into an error reply.
pub async fn shielded<T, E: PanicReply>(
    method: &str,
    handler: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            // Not through the audit record: that may be what panicked.
            eprintln!(
                "mfad: panic in {method} contained ({}); the caller gets an error",
                panic_text(panic.as_ref())
            );
            Err(E::from_panic(method))
        }
    }
}

fn panic_text(panic: &(dyn Any + Send)) -> &str {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s
    } else {
        "no message"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_becomes_a_failed_reply() {
        let reply: zbus::fdo::Result<u32> = shielded("Start", async { panic!("boom") }).await;
        assert_eq!(
            reply,
            Err(zbus::fdo::Error::Failed("internal error in Start".into()))
        );
    }

    #[tokio::test]
    async fn a_handler_that_returns_keeps_its_reply() {
        let reply: zbus::fdo::Result<u32> = shielded("Start", async { Ok(7) }).await;
        assert_eq!(reply, Ok(7));
    }
}
