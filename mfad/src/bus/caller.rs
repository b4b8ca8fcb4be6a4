//! Who is calling, from the bus itself: the sender's unique name and the uid the bus daemon
//! read from the socket. Any failure to learn it refuses the call (no default uid, CVE-2021-3560).

use crate::sessions::Caller;
use zbus::message::Header;
use zbus::names::BusName;
use zbus::{Connection, fdo};

pub async fn caller(conn: &Connection, header: &Header<'_>) -> fdo::Result<Caller> {
    let sender = header
        .sender()
        .ok_or_else(|| fdo::Error::AccessDenied("no sender".into()))?;
    let dbus = fdo::DBusProxy::new(conn)
        .await
        .map_err(|_| fdo::Error::AccessDenied("cannot identify the caller".into()))?;
    let uid = dbus
        .get_connection_unix_user(BusName::Unique(sender.to_owned()))
        .await
        .map_err(|_| fdo::Error::AccessDenied("cannot identify the caller".into()))?;
    Ok(Caller {
        sender: sender.to_string(),
        uid,
    })
}
