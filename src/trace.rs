//! The Gantt trace and the event log: bounded histories read incrementally from a cursor.
//!
//! Both are rings: when full, the oldest entries are dropped and a reader whose cursor points
//! at dropped entries is told how many it missed. Cursors are global indices that keep
//! counting across drops, so a reader never sees an entry twice.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::scheduler::reason::Reason;
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
    /// Why the scheduler dispatched the VM (run segments; absent in older snapshots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
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
    /// The shared machinery passed to this VM; `from` held it before; `reason` is why the
    /// scheduler chose it (serialised as `reason`, its text, and `why`, its numbers).
    ContextSwitch {
        from: Option<Arc<str>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Reason>,
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

impl EventKind {
    /// The `type` tag, e.g. "cycle_completed".
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Started => "started",
            EventKind::Paused => "paused",
            EventKind::Resumed => "resumed",
            EventKind::Stopped => "stopped",
            EventKind::Restarted => "restarted",
            EventKind::Destroyed => "destroyed",
            EventKind::Faulted { .. } => "faulted",
            EventKind::CycleCompleted { .. } => "cycle_completed",
            EventKind::WorkloadFinished => "workload_finished",
            EventKind::ContextSwitch { .. } => "context_switch",
            EventKind::ReservationChanged => "reservation_changed",
            EventKind::SchedulingChanged => "scheduling_changed",
            EventKind::SchedulerChanged { .. } => "scheduler_changed",
            EventKind::AtpSupplyChanged { .. } => "atp_supply_changed",
        }
    }
}

/// One event. Serialised flat: `{ id, timeMs, vm, type, ...fields of the kind }`.
///
/// The serde impls are written out rather than derived with `#[serde(flatten)]`: flatten
/// buffers every field through serde's generic `Content` and costs a lot of wasm.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub time_ms: Ms,
    pub vm: Option<Arc<str>>,
    pub kind: EventKind,
}

impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let why = match self.kind {
            EventKind::ContextSwitch { reason, .. } => reason,
            _ => None,
        };
        let fields = 2 * usize::from(why.is_some())
            + match self.kind {
                EventKind::Faulted { .. }
                | EventKind::CycleCompleted { .. }
                | EventKind::ContextSwitch { .. }
                | EventKind::SchedulerChanged { .. }
                | EventKind::AtpSupplyChanged { .. } => 5,
                _ => 4,
            };
        let mut st = s.serialize_struct("Event", fields)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("timeMs", &self.time_ms)?;
        st.serialize_field("vm", &self.vm)?;
        st.serialize_field("type", self.kind.type_name())?;
        match &self.kind {
            EventKind::Faulted { reason } => st.serialize_field("reason", reason)?,
            EventKind::CycleCompleted { cycle } => st.serialize_field("cycle", cycle)?,
            EventKind::ContextSwitch { from, .. } => st.serialize_field("from", from)?,
            EventKind::SchedulerChanged { scheduler } => {
                st.serialize_field("scheduler", scheduler)?
            }
            EventKind::AtpSupplyChanged { percent } => st.serialize_field("percent", percent)?,
            _ => {}
        }
        if let Some(why) = why {
            st.serialize_field("reason", &why.to_string())?;
            st.serialize_field("why", &why)?;
        }
        st.end()
    }
}

/// The flat form of [`Event`] as read back: the `type` tag and every field a kind may have.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FlatEvent {
    id: u64,
    time_ms: Ms,
    vm: Option<Arc<str>>,
    #[serde(rename = "type")]
    tag: EventTag,
    reason: Option<String>,
    cycle: Option<u64>,
    from: Option<Arc<str>>,
    scheduler: Option<String>,
    percent: Option<f64>,
    why: Option<Reason>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventTag {
    Created,
    Started,
    Paused,
    Resumed,
    Stopped,
    Restarted,
    Destroyed,
    Faulted,
    CycleCompleted,
    WorkloadFinished,
    ContextSwitch,
    ReservationChanged,
    SchedulingChanged,
    SchedulerChanged,
    AtpSupplyChanged,
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        fn need<T, E: Error>(v: Option<T>, field: &'static str) -> Result<T, E> {
            v.ok_or_else(|| E::missing_field(field))
        }
        let f = FlatEvent::deserialize(d)?;
        let kind = match f.tag {
            EventTag::Created => EventKind::Created,
            EventTag::Started => EventKind::Started,
            EventTag::Paused => EventKind::Paused,
            EventTag::Resumed => EventKind::Resumed,
            EventTag::Stopped => EventKind::Stopped,
            EventTag::Restarted => EventKind::Restarted,
            EventTag::Destroyed => EventKind::Destroyed,
            EventTag::Faulted => EventKind::Faulted {
                reason: need(f.reason, "reason")?,
            },
            EventTag::CycleCompleted => EventKind::CycleCompleted {
                cycle: need(f.cycle, "cycle")?,
            },
            EventTag::WorkloadFinished => EventKind::WorkloadFinished,
            EventTag::ContextSwitch => EventKind::ContextSwitch {
                from: f.from,
                reason: f.why,
            },
            EventTag::ReservationChanged => EventKind::ReservationChanged,
            EventTag::SchedulingChanged => EventKind::SchedulingChanged,
            EventTag::SchedulerChanged => EventKind::SchedulerChanged {
                scheduler: need(f.scheduler, "scheduler")?,
            },
            EventTag::AtpSupplyChanged => EventKind::AtpSupplyChanged {
                percent: need(f.percent, "percent")?,
            },
        };
        Ok(Event {
            id: f.id,
            time_ms: f.time_ms,
            vm: f.vm,
            kind,
        })
    }
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
            reason: None,
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

    fn every_kind() -> Vec<EventKind> {
        vec![
            EventKind::Created,
            EventKind::Started,
            EventKind::Paused,
            EventKind::Resumed,
            EventKind::Stopped,
            EventKind::Restarted,
            EventKind::Destroyed,
            EventKind::Faulted {
                reason: "ATP \"low\"".into(),
            },
            EventKind::CycleCompleted { cycle: 3 },
            EventKind::WorkloadFinished,
            EventKind::ContextSwitch {
                from: None,
                reason: None,
            },
            EventKind::ContextSwitch {
                from: Some(Arc::from("b")),
                reason: None,
            },
            EventKind::ReservationChanged,
            EventKind::SchedulingChanged,
            EventKind::SchedulerChanged {
                scheduler: "credit".into(),
            },
            EventKind::AtpSupplyChanged { percent: 37.5 },
        ]
    }

    /// The written-out serde impls of `Event` give exactly the flat shape
    /// `{ id, timeMs, vm, type, ...fields }` that `#[serde(flatten)]` gave.
    #[test]
    fn event_serde_is_the_flat_shape() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Flattened<'a> {
            id: u64,
            time_ms: Ms,
            vm: &'a Option<Arc<str>>,
            #[serde(flatten)]
            kind: &'a EventKind,
        }
        for (i, kind) in every_kind().into_iter().enumerate() {
            let e = Event {
                id: i as u64,
                time_ms: 1000 + i as u64,
                vm: (i % 2 == 0).then(|| Arc::from("a")),
                kind,
            };
            let json = serde_json::to_string(&e).unwrap();
            let flat = Flattened {
                id: e.id,
                time_ms: e.time_ms,
                vm: &e.vm,
                kind: &e.kind,
            };
            assert_eq!(json, serde_json::to_string(&flat).unwrap());
            assert!(json.contains(&format!(r#""type":"{}""#, e.kind.type_name())));
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        }
        // A reason adds its text and its numbers, and reads back from the numbers.
        let e = Event {
            id: 7,
            time_ms: 9,
            vm: None,
            kind: EventKind::ContextSwitch {
                from: None,
                reason: Some(Reason::Lottery {
                    ticket: 16,
                    total: 40,
                    held: 10,
                }),
            },
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""reason":"ticket 17 of 40, one of its 10","why":{"lottery":"#));
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        let bad = r#"{"id":1,"timeMs":2,"vm":null,"type":"faulted"}"#;
        assert!(serde_json::from_str::<Event>(bad).is_err());
        let bad = r#"{"id":1,"timeMs":2,"vm":null,"type":"exploded"}"#;
        assert!(serde_json::from_str::<Event>(bad).is_err());
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
