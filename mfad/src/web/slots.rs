//! Connection slots for the web listener: 256 in all and 16 per client (an IPv6 client is its
//! /64, since one host holds a whole prefix). When a newcomer finds no free slot, the connection
//! that has waited longest without sending a complete request gives its slot up (its client's
//! own, when the newcomer's client is at its share), so a peer that trickles headers cannot keep
//! a provider's callback or a phone's approval out. Only requests being answered are never cut.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::Notify;

pub const TOTAL: usize = 256;
pub const PER_CLIENT: usize = 16;

/// Who counts as one client: an IPv4 address, or an IPv6 /64.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Client {
    V4([u8; 4]),
    V6Prefix([u8; 8]),
}

impl Client {
    pub fn of(ip: IpAddr) -> Client {
        match ip {
            IpAddr::V4(v4) => Client::V4(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Client::V4(v4.octets()),
                None => {
                    let mut prefix = [0u8; 8];
                    prefix.copy_from_slice(&v6.octets()[..8]);
                    Client::V6Prefix(prefix)
                }
            },
        }
    }
}

/// Why a connection was not let in.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The client's share is taken by requests being answered.
    ClientFull,
    /// Every slot is taken by requests being answered.
    AllBusy,
}

/// A granted slot; dropping it frees the slot.
pub struct Slot {
    id: u64,
    table: Arc<Mutex<Table>>,
    evicted: Arc<Notify>,
}

#[derive(Clone, Default)]
pub struct Slots {
    table: Arc<Mutex<Table>>,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    live: HashMap<u64, Entry>,
    per_client: HashMap<Client, usize>,
}

struct Entry {
    client: Client,
    phase: Phase,
    /// When it entered its phase.
    since: Instant,
    evicted: Arc<Notify>,
}

/// Where a connection is; only one being answered cannot be evicted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Handshake or request head (for the first request or the next one).
    Head,
    /// Head complete, body still arriving.
    Body,
    /// The routes are answering it.
    Answering,
}

impl Slots {
    pub fn admit(&self, ip: IpAddr) -> Result<Slot, Refusal> {
        let client = Client::of(ip);
        let mut table = lock(&self.table);
        // A client at its share makes room among its own connections, so one behind a proxy
        // or NAT recycles its idle ones; anyone else takes the longest-waiting one overall.
        if table.per_client.get(&client).copied().unwrap_or(0) >= PER_CLIENT {
            let victim = table
                .longest_waiting(Some(client))
                .ok_or(Refusal::ClientFull)?;
            table.evict(victim);
        } else if table.live.len() >= TOTAL {
            let victim = table.longest_waiting(None).ok_or(Refusal::AllBusy)?;
            table.evict(victim);
        }
        let id = table.next_id;
        table.next_id += 1;
        let evicted = Arc::new(Notify::new());
        table.live.insert(
            id,
            Entry {
                client,
                phase: Phase::Head,
                since: crate::clock::now(),
                evicted: evicted.clone(),
            },
        );
        *table.per_client.entry(client).or_insert(0) += 1;
        Ok(Slot {
            id,
            table: self.table.clone(),
            evicted,
        })
    }

    #[cfg(test)]
    pub fn in_use(&self) -> usize {
        lock(&self.table).live.len()
    }
}

impl Table {
    /// The connection (of `client`, or of anyone) waiting longest and not being answered.
    fn longest_waiting(&self, client: Option<Client>) -> Option<u64> {
        self.live
            .iter()
            .filter(|(_, e)| e.phase != Phase::Answering)
            .filter(|(_, e)| client.is_none_or(|c| c == e.client))
            .min_by_key(|(id, e)| (e.since, **id))
            .map(|(id, _)| *id)
    }

    fn evict(&mut self, id: u64) {
        if let Some(entry) = self.remove(id) {
            entry.evicted.notify_one();
        }
    }

    fn remove(&mut self, id: u64) -> Option<Entry> {
        let entry = self.live.remove(&id)?;
        if let Some(n) = self.per_client.get_mut(&entry.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.per_client.remove(&entry.client);
            }
        }
        Some(entry)
    }
}

impl Slot {
    /// Resolves once another connection has taken this slot.
    pub async fn evicted(&self) {
        self.evicted.notified().await
    }

    /// A complete request head arrived; its body (if any) is still to come.
    pub fn head_received(&self) {
        self.enter(Phase::Body);
    }

    /// The whole request is in: not evictable until it is answered.
    pub fn request_started(&self) {
        self.enter(Phase::Answering);
    }

    /// Answered (or abandoned): back to waiting for a request head.
    pub fn request_finished(&self) {
        self.enter(Phase::Head);
    }

    fn enter(&self, phase: Phase) {
        if let Some(e) = lock(&self.table).live.get_mut(&self.id) {
            e.phase = phase;
            e.since = crate::clock::now();
        }
    }

    /// When it began waiting for a request head; None once a head is in (or it was evicted).
    pub fn waiting_since(&self) -> Option<Instant> {
        let table = lock(&self.table);
        let e = table.live.get(&self.id)?;
        (e.phase == Phase::Head).then_some(e.since)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        lock(&self.table).remove(self.id);
    }
}

/// The table stays consistent under every operation, so a poisoned lock is still usable.
fn lock(table: &Mutex<Table>) -> std::sync::MutexGuard<'_, Table> {
    table.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn v4(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
    }

    #[test]
    fn one_client_gets_at_most_its_share_and_recycles_its_own_idle_connections() {
        let slots = Slots::default();
        let others = slots.admit(v4(2));
        let held: Vec<Slot> = (0..PER_CLIENT)
            .filter_map(|_| slots.admit(v4(1)).ok())
            .collect();
        held[1..].iter().for_each(Slot::request_started);
        let newcomer = slots.admit(v4(1)).ok();
        assert!(newcomer.is_some());
        assert_eq!(slots.in_use(), PER_CLIENT + 1, "still its share");
        assert!(held[0].waiting_since().is_none(), "its own idle one left");
        assert!(
            others.is_ok_and(|o| o.waiting_since().is_some()),
            "no one else's"
        );
        newcomer.iter().for_each(Slot::request_started);
        assert_eq!(slots.admit(v4(1)).err(), Some(Refusal::ClientFull));
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client() {
        let a = Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1);
        let b = Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0xffff, 0, 0, 9);
        let c = Ipv6Addr::new(0x2001, 0xdb8, 0, 2, 0, 0, 0, 1);
        assert_eq!(Client::of(a.into()), Client::of(b.into()));
        assert_ne!(Client::of(a.into()), Client::of(c.into()));
    }

    #[test]
    fn a_full_table_evicts_the_longest_waiting_connection_but_never_one_being_answered() {
        let slots = Slots::default();
        let held: Vec<Slot> = (0..TOTAL)
            .filter_map(|i| slots.admit(v4((i / PER_CLIENT) as u8 + 1)).ok())
            .collect();
        assert_eq!(slots.in_use(), TOTAL);
        held[0].request_started();
        let newcomer = slots.admit(v4(200));
        assert!(newcomer.is_ok());
        assert_eq!(slots.in_use(), TOTAL);
        assert!(held[0].waiting_since().is_none(), "the busy one stays");
        assert!(
            held[1].waiting_since().is_none(),
            "the oldest idle one left"
        );
        assert!(held[2].waiting_since().is_some(), "the rest stay");
    }

    #[test]
    fn a_stalled_body_can_be_evicted() {
        let slots = Slots::default();
        let held: Vec<Slot> = (0..TOTAL)
            .filter_map(|i| slots.admit(v4((i / PER_CLIENT) as u8 + 1)).ok())
            .collect();
        held.iter().for_each(Slot::request_started);
        held[7].head_received();
        let newcomer = slots.admit(v4(200));
        assert!(newcomer.is_ok());
        assert_eq!(slots.in_use(), TOTAL);
    }

    #[test]
    fn a_full_table_of_requests_in_progress_refuses() {
        let slots = Slots::default();
        let held: Vec<Slot> = (0..TOTAL)
            .filter_map(|i| slots.admit(v4((i / PER_CLIENT) as u8 + 1)).ok())
            .collect();
        held.iter().for_each(Slot::request_started);
        assert_eq!(slots.admit(v4(200)).err(), Some(Refusal::AllBusy));
        drop(held);
        assert_eq!(slots.in_use(), 0);
    }
}
