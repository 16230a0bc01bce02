//! Lottery scheduling (Waldspurger & Weihl, OSDI 1994): every runnable VM holds tickets in
//! proportion to its weight; each decision draws one ticket uniformly from all tickets held
//! by queued VMs, and the holder runs for one quantum.
//!
//! Draws come from a seeded ChaCha8 stream kept in the scheduler state, so a run is
//! reproducible from `params.seed`. The stream is serialised as (seed, word position) and
//! rebuilt on deserialisation, so a snapshot continues with exactly the draws the original
//! would have made. Tickets live in a Fenwick (binary indexed) tree over slots: a draw and a
//! ticket change are both O(log n).

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

use super::reason::Reason;
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

/// Tickets of one VM: its weight, clamped to the documented range.
fn tickets_of(task: &TaskInfo) -> u64 {
    u64::from(task.weight.clamp(1, 65_535))
}

/// The seeded ChaCha8 stream. Serialised as its seed and word position only.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "RngState", from = "RngState")]
struct TicketRng {
    seed: u64,
    rng: ChaCha8Rng,
}

/// Serialised form of [`TicketRng`]: the 68-bit word position is split into two `u64`s so
/// every serde format can hold it exactly.
#[derive(Serialize, Deserialize)]
struct RngState {
    seed: u64,
    word_pos_hi: u64,
    word_pos_lo: u64,
}

impl From<TicketRng> for RngState {
    fn from(r: TicketRng) -> Self {
        let pos = r.rng.get_word_pos();
        RngState {
            seed: r.seed,
            word_pos_hi: (pos >> 64) as u64,
            word_pos_lo: pos as u64,
        }
    }
}

impl From<RngState> for TicketRng {
    fn from(s: RngState) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
        rng.set_word_pos((u128::from(s.word_pos_hi) << 64) | u128::from(s.word_pos_lo));
        TicketRng { seed: s.seed, rng }
    }
}

impl TicketRng {
    fn new(seed: u64) -> Self {
        TicketRng {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Uniform in `0..n` (`n ≥ 1`) without modulo bias: reject the top `2^64 mod n` values.
    fn below(&mut self, n: u64) -> u64 {
        let n = n.max(1);
        // 2^64 mod n.
        let reject = (u64::MAX % n + 1) % n;
        loop {
            let r = self.rng.next_u64();
            if reject == 0 || r <= u64::MAX - reject {
                return r % n;
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lottery {
    quantum_ms: Ms,
    rng: TicketRng,
    /// Tickets in the draw per slot (0 = not queued).
    tickets: Vec<u64>,
    /// Fenwick tree over `tickets`, 1-based; its capacity (`len - 1`) is a power of two.
    tree: Vec<u64>,
    total: u64,
    count: usize,
    /// The slot `pick` handed out and not yet charged.
    running: Option<Slot>,
}

impl Lottery {
    pub fn new(params: &SchedulerParams) -> Self {
        Lottery {
            quantum_ms: params.quantum_ms.max(1),
            rng: TicketRng::new(params.seed),
            tickets: Vec::new(),
            tree: vec![0; 2],
            total: 0,
            count: 0,
            running: None,
        }
    }

    /// Tickets currently in the draw (the sum over queued VMs).
    pub fn total_tickets(&self) -> u64 {
        self.total
    }

    fn capacity(&self) -> usize {
        self.tree.len() - 1
    }

    /// Make room for `slot`, rebuilding the tree at the next power of two when it grows.
    fn ensure(&mut self, slot: Slot) {
        let i = slot as usize;
        if i >= self.tickets.len() {
            self.tickets.resize(i + 1, 0);
        }
        if i >= self.capacity() {
            let cap = (i + 1).next_power_of_two();
            // Linear-time build: each node adds itself into its parent.
            let mut tree = vec![0u64; cap + 1];
            for k in 1..=cap {
                if let Some(&t) = self.tickets.get(k - 1) {
                    tree[k] = tree[k].wrapping_add(t);
                }
                let parent = k + (k & k.wrapping_neg());
                if parent <= cap {
                    let v = tree[k];
                    tree[parent] = tree[parent].wrapping_add(v);
                }
            }
            self.tree = tree;
        }
    }

    /// Set `slot`'s tickets to `t` (0 takes it out of the draw).
    fn set_tickets(&mut self, slot: Slot, t: u64) {
        self.ensure(slot);
        let i = slot as usize;
        let old = self.tickets[i];
        if old == t {
            return;
        }
        match (old, t) {
            (0, _) => self.count += 1,
            (_, 0) => self.count -= 1,
            _ => {}
        }
        self.tickets[i] = t;
        self.total = self.total - old + t;
        let delta = t.wrapping_sub(old);
        let cap = self.capacity();
        let mut k = i + 1;
        while k <= cap {
            self.tree[k] = self.tree[k].wrapping_add(delta);
            k += k & k.wrapping_neg();
        }
    }

    /// The slot holding ticket number `r` (`r < total`): the smallest slot whose prefix sum
    /// of tickets exceeds `r`.
    fn find(&self, mut r: u64) -> Slot {
        let cap = self.capacity();
        let mut pos = 0usize;
        let mut step = cap;
        while step > 0 {
            let next = pos + step;
            if next <= cap && self.tree[next] <= r {
                pos = next;
                r -= self.tree[next];
            }
            step >>= 1;
        }
        pos as Slot
    }

    fn queue(&mut self, slot: Slot, task: &TaskInfo) {
        self.set_tickets(slot, tickets_of(task));
    }
}

impl Scheduler for Lottery {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Lottery
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, _now: Ms) {
        if self.running == Some(slot) {
            return; // still dispatched: its charge requeues it
        }
        self.queue(slot, task);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        if self.running == Some(slot) {
            self.running = None;
        }
        if (slot as usize) < self.tickets.len() {
            self.set_tickets(slot, 0);
        }
    }
    fn pick(&mut self, _now: Ms) -> Option<Dispatch> {
        if self.total == 0 {
            return None;
        }
        let ticket = self.rng.below(self.total);
        let slot = self.find(ticket);
        let (total, held) = (self.total, self.tickets[slot as usize]);
        self.set_tickets(slot, 0);
        self.running = Some(slot);
        Some(Dispatch {
            slot,
            max_run_ms: self.quantum_ms,
            reason: Reason::Lottery {
                ticket,
                total,
                held,
            },
        })
    }
    fn charge(&mut self, slot: Slot, _ran_ms: Ms, _now: Ms, task: &TaskInfo) {
        if self.running == Some(slot) {
            self.running = None;
        }
        self.queue(slot, task);
    }
    fn update(&mut self, slot: Slot, task: &TaskInfo, _now: Ms) {
        // A dispatched VM gets its new tickets when it is charged.
        if self.tickets.get(slot as usize).is_some_and(|&t| t > 0) {
            self.queue(slot, task);
        }
    }
    fn queued(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs_until, Job};
    use super::super::{AnyScheduler, Scheduler, SchedulerKind, SchedulerParams, TaskInfo};
    use super::Lottery;

    fn task(weight: u32, seq: u64) -> TaskInfo {
        TaskInfo {
            weight,
            priority: 5,
            cap_percent: 0,
            remaining_ms: u64::MAX,
            seq,
            arrival_ms: 0,
        }
    }

    fn share(received: &[u64], i: usize) -> f64 {
        received[i] as f64 / received.iter().sum::<u64>() as f64
    }

    #[test]
    fn fenwick_draw_maps_tickets_to_slots() {
        let mut l = Lottery::new(&SchedulerParams::with_quantum(10, 1));
        // Slots 0, 3, 9 with 2, 5, 1 tickets (forces two tree rebuilds).
        l.enqueue(0, &task(2, 0), 0);
        l.enqueue(3, &task(5, 1), 0);
        l.enqueue(9, &task(1, 2), 0);
        assert_eq!(l.total_tickets(), 8);
        let owners: Vec<u32> = (0..8).map(|r| l.find(r)).collect();
        assert_eq!(owners, [0, 0, 3, 3, 3, 3, 3, 9]);
        l.update(3, &task(1, 1), 0);
        let owners: Vec<u32> = (0..4).map(|r| l.find(r)).collect();
        assert_eq!(owners, [0, 0, 3, 9]);
        assert_eq!(l.queued(), 3);
    }

    #[test]
    fn weights_3_to_1_give_75_25() {
        // 60 000 draws of a 10 ms quantum; binomial σ ≈ 0.18 %.
        let p = SchedulerParams::with_quantum(10, 42);
        let jobs = [
            Job::new(0, 1 << 40).weight(768),
            Job::new(0, 1 << 40).weight(256),
        ];
        let r = run_jobs_until(SchedulerKind::Lottery, &p, &jobs, 600_000);
        assert_eq!(r.received.iter().sum::<u64>(), 600_000);
        let a = share(&r.received, 0);
        assert!(
            (0.74..=0.76).contains(&a),
            "share of the 768-ticket VM: {a}"
        );
    }

    #[test]
    fn seed_determines_the_schedule() {
        let jobs = [
            Job::new(0, 5_000).weight(512),
            Job::new(0, 5_000).weight(256),
            Job::new(100, 3_000).weight(256),
        ];
        let run = |seed| {
            let p = SchedulerParams::with_quantum(10, seed);
            super::super::testkit::run_jobs_with(SchedulerKind::Lottery, &p, &jobs)
        };
        let (a, b, c) = (run(7), run(7), run(8));
        assert_eq!(a.gantt, b.gantt);
        assert_eq!(a.completion, b.completion);
        assert_ne!(a.gantt, c.gantt);
    }

    #[test]
    fn removed_slot_never_drawn_and_reuse_starts_fresh() {
        let mut l = Lottery::new(&SchedulerParams::with_quantum(10, 3));
        l.enqueue(0, &task(256, 0), 0);
        l.enqueue(1, &task(60_000, 1), 0);
        l.enqueue(2, &task(256, 2), 0);
        l.remove(1, 0);
        l.remove(1, 0); // idempotent
        assert_eq!(l.queued(), 2);
        assert_eq!(l.total_tickets(), 512);
        for t in 0..2_000 {
            let d = l.pick(t).expect("two queued");
            assert_ne!(d.slot, 1);
            l.charge(d.slot, 10, t, &task(256, u64::from(d.slot)));
        }
        // A new VM in slot 1 with one ticket: it must not inherit the old 60 000.
        l.enqueue(1, &task(1, 9), 0);
        assert_eq!(l.total_tickets(), 513);
        let mut hits = 0;
        for t in 0..5_130 {
            let d = l.pick(t).expect("three queued");
            hits += usize::from(d.slot == 1);
            l.charge(d.slot, 10, t, &task(if d.slot == 1 { 1 } else { 256 }, 0));
        }
        // Expected 10 of 5 130 draws; 60 000 tickets would give ~5 000.
        assert!(hits <= 30, "slot 1 drawn {hits} times");
        // The last remove empties the draw.
        for s in 0..3 {
            l.remove(s, 0);
        }
        assert_eq!(l.pick(0), None);
        assert_eq!(l.queued(), 0);
    }

    #[test]
    fn serde_round_trip_continues_the_same_draws() {
        let p = SchedulerParams::with_quantum(10, 99);
        let mut s = AnyScheduler::new(SchedulerKind::Lottery, &p);
        for i in 0..40u32 {
            s.enqueue(i, &task(1 + 97 * i, u64::from(i)), 0);
        }
        let step = |s: &mut AnyScheduler, t: u64| {
            let d = s.pick(t).expect("queued");
            s.charge(
                d.slot,
                10,
                t + 10,
                &task(1 + 97 * d.slot, u64::from(d.slot)),
            );
            d.slot
        };
        for t in 0..333 {
            step(&mut s, t * 10);
        }
        let json = serde_json::to_string(&s).expect("serialise");
        let mut restored: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
        let a: Vec<u32> = (333..1_333).map(|t| step(&mut s, t * 10)).collect();
        let b: Vec<u32> = (333..1_333).map(|t| step(&mut restored, t * 10)).collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|&x| x != a[0]));
    }
}
