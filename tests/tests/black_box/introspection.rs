//! What the daemon advertises is what it sends: for each method of org.mfa.Mfad1.Auth, the
//! out-args that Introspect lists, joined, equal the signature of a real reply from the real
//! daemon on the private bus. A client generated from the introspection data (gdbus-codegen,
//! zbus-xmlgen) must be able to read every reply.

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const AUTH: &str = "org.mfa.Mfad1.Auth";

/// The out-args of `method` in the introspection XML, joined into one signature.
fn advertised_out_signature(xml: &str, method: &str) -> String {
    let open = format!("<method name=\"{method}\">");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("{method} is not advertised:\n{xml}"));
    let body = &xml[start..];
    let body = &body[..body.find("</method>").unwrap_or(body.len())];
    body.split("<arg")
        .skip(1)
        .filter(|arg| arg.contains("direction=\"out\""))
        .filter_map(|arg| arg.split("type=\"").nth(1)?.split('"').next())
        .collect()
}

/// The signature of a reply's body exactly as sent: the SIGNATURE header field (code 8, variant
/// of type `g`) read from the message's bytes. zbus's parsed signature cannot tell `usu` from
/// `(usu)`, which is the very difference this test is about.
fn sent_signature(reply: &zbus::Message) -> String {
    let bytes = reply.data().bytes();
    // Fixed header (12 bytes) and the fields array's length (4); the fields follow.
    let fields = bytes.get(16..).unwrap_or_default();
    let at = fields
        .windows(4)
        .position(|w| w == [8, 1, b'g', 0])
        .unwrap_or_else(|| panic!("no SIGNATURE field in {bytes:?}"));
    let len = usize::from(fields[at + 4]);
    String::from_utf8_lossy(&fields[at + 5..at + 5 + len]).into_owned()
}

/// One method call on the connection; a D-Bus error fails the test.
macro_rules! call {
    ($conn:expr, $interface:expr, $method:expr, $body:expr $(,)?) => {
        $conn
            .call_method(
                Some(MFAD_BUS_NAME),
                "/org/mfa/Mfad1",
                Some($interface),
                $method,
                $body,
            )
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", $method))
    };
}

#[test]
fn every_auth_reply_has_the_signature_introspection_advertises() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let conn = zbus::connection::Builder::address(bus.address())
            .build()
            .await
            .expect("connect to the test bus");
        let intro = call!(
            conn,
            "org.freedesktop.DBus.Introspectable",
            "Introspect",
            &(),
        );
        let xml: String = intro.body().deserialize().expect("introspection xml");
        let start = call!(conn, AUTH, "Start", &("alice", "sshd", "", ""));
        let (session, _): (String, (u32, String, u32)) =
            start.body().deserialize().expect("Start reply");
        let poll = call!(conn, AUTH, "Poll", &(session.as_str(),));
        let answer = call!(conn, AUTH, "Answer", &(session.as_str(), "000000"));
        let one_line = 1u32;
        let rendered = call!(
            conn,
            AUTH,
            "StartRendered",
            &("alice", "sshd", "", "", one_line)
        );
        for (method, reply) in [
            ("Start", &start),
            ("StartRendered", &rendered),
            ("Poll", &poll),
            ("Answer", &answer),
        ] {
            assert_eq!(
                sent_signature(reply),
                advertised_out_signature(&xml, method),
                "{method}\n{}",
                daemon.log()
            );
        }
    });
}
