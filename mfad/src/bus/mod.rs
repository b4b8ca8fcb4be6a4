//! mfad on the bus: serve the interfaces, own the name, and drop the sessions of callers that
//! leave the bus.

mod admin_iface;
mod auth_iface;
mod caller;
mod callers;
mod enroll_iface;
mod shield;

use crate::auth::Engine;
use crate::enroll::Enroller;
use futures_util::StreamExt;
use mfa_proto::{BUS_NAME, OBJECT_PATH};
use std::sync::Arc;
use std::time::Duration;

pub async fn serve(engine: Arc<Engine>, enroller: Arc<Enroller>) -> zbus::Result<zbus::Connection> {
    let conn = zbus::connection::Builder::system()
        .serve_at(
            OBJECT_PATH,
            auth_iface::AuthIface {
                engine: engine.clone(),
            },
        )
        .serve_at(
            OBJECT_PATH,
            admin_iface::AdminIface {
                engine: engine.clone(),
            },
        )
        .serve_at(
            OBJECT_PATH,
            enroll_iface::EnrollIface {
                enroller: enroller.clone(),
            },
        )
        .name(BUS_NAME)
        // Held until exit: the module believes an owner that held the name on both sides of
        // its uid check (pam_mfa/src/client.rs), and no other process may take it over.
        .allow_name_replacements(false)
        .build()
        .await?;
    let dbus = zbus::fdo::DBusProxy::new(&conn).await?;
    let mut changes = dbus.receive_name_owner_changed().await?;
    let watcher = engine.clone();
    let bus = conn.clone();
    tokio::spawn(async move {
        while let Some(change) = changes.next().await {
            let Ok(args) = change.args() else {
                continue;
            };
            if !args.name().starts_with(':') {
                continue;
            }
            if args.new_owner().is_none() {
                watcher.caller_left(args.name());
                callers::forget(args.name());
                enroller.caller_left(args.name());
            } else if args.old_owner().is_none() {
                // A new connection (a module's, for one login): learn its uid early.
                callers::prefetch(&bus, args.name());
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            engine.expire_sessions();
        }
    });
    Ok(conn)
}
