//! Is the caller sitting at a local console? Asked of systemd-logind (the caller's session has a
//! seat and is not remote). Anything logind cannot confirm — no logind, no session — is a no.

use zbus::names::BusName;
use zbus::{Connection, fdo};

pub async fn is_local_console(conn: &Connection, sender: &str) -> bool {
    local_session(conn, sender).await.unwrap_or(false)
}

async fn local_session(conn: &Connection, sender: &str) -> zbus::Result<bool> {
    let dbus = fdo::DBusProxy::new(conn).await?;
    let name = BusName::try_from(sender.to_string())?;
    let pid = dbus.get_connection_unix_process_id(name).await?;
    let manager = zbus::Proxy::new(
        conn,
        "org.freedesktop.login1",
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
    )
    .await?;
    let path: zbus::wire::OwnedObjectPath = manager.call("GetSessionByPID", &(pid,)).await?;
    let session = zbus::Proxy::new(
        conn,
        "org.freedesktop.login1",
        path,
        "org.freedesktop.login1.Session",
    )
    .await?;
    let remote: bool = session.get_property("Remote").await?;
    let (seat, _): (String, zbus::wire::OwnedObjectPath) = session.get_property("Seat").await?;
    Ok(!remote && !seat.is_empty())
}
