//! The Gantt trace and the event log: bounded histories read incrementally from a cursor.
//!
//! Both are rings: when full, the oldest entries are dropped and a reader whose cursor points
//! at dropped entries is told how many it missed. Cursors are global indices that keep
//! counting across drops, so a reader never sees an entry twice.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::scheduler::Ms;

/// What a Gantt segment shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// The VM held the shared machinery.
    Run = 0,
    /// Context switch into the VM: ribosomes of the previous holder running off (overhead).
    Switch = 1,
}

/// One segment `[start, end)` of the schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    pub vm: Arc<str>,
    pub start: Ms,
    pub end: Ms,
    pub kind: SegmentKind,
}

/// Segments after a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceChunk {
    pub segments: Vec<Segment>,
    /// Pass this to the next call.
    pub next_cursor: u64,
    /// Segments between the given cursor and the oldest retained one that were dropped.
    pub dropped: u64,
    /// The segment in progress (not yet final; it is returned again, complete, later).
    pub open: Option<Segment>,
}

/// A bounded ring of finished segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    capacity: usize,
    first_index: u64,
    segments: VecDeque<Segment>,
}

impl Trace {
    pub fn new(capacity: usize) -> Self {
        Trace {
            capacity: capacity.max(1),
            first_index: 0,
            segments: VecDeque::new(),
        }
    }

    /// Append a finished segment (one per dispatch phase). Empty segments are ignored.
    pub fn push(&mut self, seg: Segment) {
        if seg.end <= seg.start {
            return;
        }
        if self.segments.len() == self.capacity {
            self.segments.pop_front();
            self.first_index += 1;
        }
        self.segments.push_back(seg);
    }

    /// Index one past the newest segment.
    pub fn end_index(&self) -> u64 {
        self.first_index + self.segments.len() as u64
    }

    /// Finished segments from `cursor` on, at most `limit` of them.
    pub fn since(&self, cursor: u64, limit: usize) -> (Vec<Segment>, u64, u64) {
        let start = cursor.max(self.first_index);
        let dropped = start - cursor.min(start);
        let skip = (start - self.first_index) as usize;
        let segs: Vec<Segment> = self
            .segments
            .iter()
            .skip(skip)
            .take(limit)
            .cloned()
            .collect();
        let next = start + segs.len() as u64;
        (segs, next, dropped)
    }

    pub fn len(&self) -> usize {
        self.segments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }
}

/// What happened, for the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Started,
    Paused,
    Resumed,
    Stopped,
    Restarted,
    Destroyed,
    /// The VM moved to `error`; its reservation was returned.
    Faulted {
        reason: String,
    },
    /// One work cycle finished (`cycle` counts from 1).
    CycleCompleted {
        cycle: u64,
    },
    /// The VM's finite workload is done; it stopped.
    WorkloadFinished,
    /// The shared machinery passed to this VM; `from` held it before.
    ContextSwitch {
        from: Option<Arc<str>>,
    },
    ReservationChanged,
    SchedulingChanged,
    SchedulerChanged {
        scheduler: String,
    },
    AtpSupplyChanged {
        percent: f64,
    },
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: u64,
    pub time_ms: Ms,
    pub vm: Option<Arc<str>>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A bounded log of events with increasing ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventLog {
    capacity: usize,
    next_id: u64,
    events: VecDeque<Event>,
}

impl EventLog {
    pub fn new(capacity: usize) -> Self {
        EventLog {
            capacity: capacity.max(1),
            next_id: 0,
            events: VecDeque::new(),
        }
    }

    pub fn push(&mut self, time_ms: Ms, vm: Option<Arc<str>>, kind: EventKind) {
        if self.events.len() == self.capacity {
            self.events.pop_front();
        }
        self.events.push_back(Event {
            id: self.next_id,
            time_ms,
            vm,
            kind,
        });
        self.next_id += 1;
    }

    /// Events with `id >= since`, oldest first, at most `limit`.
    pub fn since(&self, since: u64, limit: usize) -> Vec<Event> {
        let first = self.events.front().map_or(self.next_id, |e| e.id);
        let skip = since.saturating_sub(first) as usize;
        self.events.iter().skip(skip).take(limit).cloned().collect()
    }

    /// Id the next event will get.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(vm: &str, start: Ms, end: Ms) -> Segment {
        Segment {
            vm: Arc::from(vm),
            start,
            end,
            kind: SegmentKind::Run,
        }
    }

    #[test]
    fn trace_ring_and_cursor() {
        let mut t = Trace::new(3);
        for i in 0..5 {
            t.push(seg("a", i * 10, i * 10 + 5));
        }
        t.push(seg("a", 100, 100)); // empty: ignored
        assert_eq!(t.len(), 3);
        let (s, next, dropped) = t.since(0, usize::MAX);
        assert_eq!(dropped, 2);
        assert_eq!(s.iter().map(|x| x.start).collect::<Vec<_>>(), [20, 30, 40]);
        assert_eq!(next, 5);
        let (s, next2, dropped) = t.since(next, usize::MAX);
        assert!(s.is_empty() && next2 == 5 && dropped == 0);
        let (s, next3, _) = t.since(3, 1);
        assert_eq!((s.len(), next3), (1, 4));
    }

    #[test]
    fn event_log_is_bounded() {
        let mut l = EventLog::new(2);
        for t in 0..5 {
            l.push(t, None, EventKind::Created);
        }
        assert_eq!(l.len(), 2);
        assert_eq!(
            l.since(0, 10).iter().map(|e| e.id).collect::<Vec<_>>(),
            [3, 4]
        );
        assert_eq!(l.since(4, 10).len(), 1);
        assert_eq!(l.since(9, 10).len(), 0);
        assert_eq!(l.next_id(), 5);
    }
}
