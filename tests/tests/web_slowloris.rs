//! The web listener under slowloris: an attacker holding more connections than it has slots
//! (headers trickled, bodies stalled, from several loopback addresses) must not keep approval
//! pages from being served, and a lone slow connection is cut off at its deadline.
//! Figures go to stderr (`--nocapture`); only generous bounds are asserted.

use mfa_tests::slowloris::{Slowloris, connect_from, percentile, timed_request};
use mfa_tests::*;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

const ORDINARY_REQUESTS: usize = 60;

fn listener(p: &PushSetup) -> SocketAddr {
    let host = p.public_url.trim_start_matches("http://");
    host.parse().expect("the listener's loopback address")
}

/// Waits up to `limit` for `attack` to hold `count` connections.
fn wait_for_open(attack: &Slowloris, count: usize, limit: Duration) {
    let started = Instant::now();
    while attack.open() < count && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How long until the daemon closes `stream` (read returns end or error), at most `limit`.
fn time_until_closed(stream: &mut std::net::TcpStream, limit: Duration) -> (Duration, String) {
    let started = Instant::now();
    let _ = stream.set_read_timeout(Some(limit));
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    (
        started.elapsed(),
        String::from_utf8_lossy(&raw).into_owned(),
    )
}

#[test]
fn approval_pages_are_served_while_an_attacker_holds_more_connections_than_there_are_slots() {
    let p = PushSetup::start(&PushPolicy::default());
    let addr = listener(&p);
    // 20 addresses × 16 connections: 320, more than the listener's 256 slots.
    let attack = Slowloris::start(addr, 20, 16);
    wait_for_open(&attack, 256, Duration::from_secs(20));
    let held_before = attack.open();
    // Past the first deadlines, so the attacker is re-opening what the daemon closes.
    std::thread::sleep(Duration::from_secs(6));
    let mut latencies = Vec::new();
    let mut unanswered = 0;
    for i in 0..ORDINARY_REQUESTS {
        let path = format!("/push/ordinary-{i}");
        let answer = if i % 2 == 0 {
            timed_request(addr, "GET", &path, "")
        } else {
            timed_request(addr, "POST", &path, "number=42&action=approve")
        };
        match answer {
            Some((_, took)) => latencies.push(took),
            None => unanswered += 1,
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let held_after = attack.open();
    let lifetimes = attack.lifetimes();
    drop(attack);
    eprintln!(
        "slowloris: attacker held {held_before} then {held_after} connections; \
         {} of {ORDINARY_REQUESTS} ordinary requests served, median {:?}, p99 {:?}; \
         {} attacker connections closed by the daemon, lifetime median {:?}, max {:?}",
        latencies.len(),
        percentile(&latencies, 50),
        percentile(&latencies, 99),
        lifetimes.len(),
        percentile(&lifetimes, 50),
        percentile(&lifetimes, 100),
    );
    assert!(
        held_before >= 256,
        "the attack never filled the slots: {held_before}"
    );
    assert_eq!(unanswered, 0, "{}", p.daemon.log());
    assert!(
        !lifetimes.is_empty(),
        "no attacker connection was ever closed"
    );
    assert!(
        p.daemon
            .log()
            .matches("web listener under pressure")
            .count()
            < 20
    );
}

#[test]
fn a_lone_connection_trickling_its_headers_is_closed_at_the_header_deadline() {
    let p = PushSetup::start(&PushPolicy::default());
    let mut stream = connect_from(Ipv4Addr::new(127, 0, 0, 9), listener(&p)).expect("connect");
    stream
        .write_all(b"GET /push/slow HTTP/1.1\r\nHost: mfa\r\n")
        .expect("head");
    let trickler = stream.try_clone().expect("clone");
    std::thread::spawn(move || {
        let mut trickler = trickler;
        while trickler.write_all(b"X-Slow: 1\r\n").is_ok() {
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    let (lived, _) = time_until_closed(&mut stream, Duration::from_secs(30));
    eprintln!("slowloris: a lone trickling connection lived {lived:?}");
    // The deadline is 5 s; 9 s is generous, and below what the listener allowed before (10 s).
    assert!(lived < Duration::from_secs(9), "lived {lived:?}");
}

#[test]
fn a_connection_that_stalls_its_body_is_answered_408() {
    let p = PushSetup::start(&PushPolicy::default());
    let mut stream = connect_from(Ipv4Addr::new(127, 0, 0, 8), listener(&p)).expect("connect");
    stream
        .write_all(
            b"POST /push/stalled HTTP/1.1\r\nHost: mfa\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nnumber=4",
        )
        .expect("head and the first bytes");
    let (lived, answer) = time_until_closed(&mut stream, Duration::from_secs(30));
    eprintln!("slowloris: a stalled body was answered after {lived:?}");
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "{answer:?} after {lived:?}"
    );
}

#[test]
fn one_client_holds_at_most_sixteen_connections_and_a_new_one_replaces_its_oldest_idle_one() {
    let p = PushSetup::start(&PushPolicy::default());
    let from = Ipv4Addr::new(127, 0, 0, 7);
    let mut held: Vec<_> = (0..16)
        .map(|_| connect_from(from, listener(&p)).expect("connect"))
        .collect();
    for s in &mut held {
        s.write_all(b"GET /push/idle HTTP/1.1\r\n")
            .expect("part of a head");
        // In order, so the first one is the longest waiting.
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut newcomer = connect_from(from, listener(&p)).expect("connect");
    let (lived, answer) = time_until_closed(&mut held[0], Duration::from_secs(3));
    assert!(
        lived < Duration::from_secs(3) && answer.is_empty(),
        "the oldest idle connection was kept: {lived:?} {answer:?}"
    );
    newcomer
        .write_all(b"GET /push/newcomer HTTP/1.1\r\nHost: mfa\r\nConnection: close\r\n\r\n")
        .expect("a whole request");
    let (_, answer) = time_until_closed(&mut newcomer, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 "), "{answer:?}");
    let second = &mut held[1];
    let _ = second.set_nonblocking(true);
    let mut buf = [0u8; 16];
    let still_open = matches!(
        std::io::Read::read(second, &mut buf),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    );
    assert!(still_open, "only one connection makes room");
}
