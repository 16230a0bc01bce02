//! A FIFO run queue with O(1) lazy removal, shared by the FIFO-based policies.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::Slot;

/// FIFO of slots. `remove` is O(1): it bumps the slot's generation and stale entries are
/// skipped when they reach the front.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FifoQueue {
    entries: VecDeque<(Slot, u32)>,
    /// Current generation per slot; an entry is live when its generation matches and the
    /// slot is marked queued.
    gens: Vec<u32>,
    queued: Vec<bool>,
    len: usize,
}

impl FifoQueue {
    fn ensure(&mut self, slot: Slot) {
        let i = slot as usize;
        if i >= self.gens.len() {
            self.gens.resize(i + 1, 0);
            self.queued.resize(i + 1, false);
        }
    }

    /// Whether `slot` is in the queue.
    pub fn contains(&self, slot: Slot) -> bool {
        self.queued.get(slot as usize).copied().unwrap_or(false)
    }

    pub fn push_back(&mut self, slot: Slot) {
        self.ensure(slot);
        if self.contains(slot) {
            return;
        }
        self.queued[slot as usize] = true;
        self.entries.push_back((slot, self.gens[slot as usize]));
        self.len += 1;
    }

    pub fn push_front(&mut self, slot: Slot) {
        self.ensure(slot);
        if self.contains(slot) {
            return;
        }
        self.queued[slot as usize] = true;
        self.entries.push_front((slot, self.gens[slot as usize]));
        self.len += 1;
    }

    /// Remove `slot` wherever it is. Returns whether it was queued.
    pub fn remove(&mut self, slot: Slot) -> bool {
        if !self.contains(slot) {
            return false;
        }
        let i = slot as usize;
        self.queued[i] = false;
        self.gens[i] = self.gens[i].wrapping_add(1);
        self.len -= 1;
        self.compact_front();
        true
    }

    fn compact_front(&mut self) {
        while let Some(&(s, g)) = self.entries.front() {
            if self.queued[s as usize] && self.gens[s as usize] == g {
                break;
            }
            self.entries.pop_front();
        }
        // Keep stale entries from piling up when removals happen deep in the queue.
        if self.entries.len() > 2 * self.len + 64 {
            let (gens, queued) = (&self.gens, &self.queued);
            self.entries
                .retain(|&(s, g)| queued[s as usize] && gens[s as usize] == g);
        }
    }

    pub fn front(&self) -> Option<Slot> {
        self.entries.front().map(|&(s, _)| s)
    }

    pub fn pop_front(&mut self) -> Option<Slot> {
        let s = self.front()?;
        self.remove(s);
        Some(s)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Live slots front to back (O(n); for tests and inspection).
    pub fn iter(&self) -> impl Iterator<Item = Slot> + '_ {
        self.entries
            .iter()
            .filter(|&&(s, g)| self.queued[s as usize] && self.gens[s as usize] == g)
            .map(|&(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_with_lazy_removal() {
        let mut q = FifoQueue::default();
        for s in [3, 1, 2] {
            q.push_back(s);
        }
        q.push_back(1); // already queued: ignored
        assert_eq!(q.len(), 3);
        assert!(q.remove(1));
        assert!(!q.remove(1));
        q.push_front(7);
        assert_eq!(q.iter().collect::<Vec<_>>(), [7, 3, 2]);
        q.push_back(1); // re-added after removal: the stale entry is skipped
        assert_eq!(q.pop_front(), Some(7));
        assert_eq!(q.pop_front(), Some(3));
        assert_eq!(q.pop_front(), Some(2));
        assert_eq!(q.pop_front(), Some(1));
        assert_eq!(q.pop_front(), None);
        assert!(q.is_empty());
    }
}
