//! What a `setScheduler` request changes: the optional scheduler options of the JS bindings and
//! of sessions, checked and applied over the current [`SchedulerParams`] in one place, so that
//! `hv.setScheduler(...)` and a replayed `setScheduler` op accept, refuse and word their
//! refusals alike.
//!
//! The edges turn their own types into [`SchedulerUpdate`] (whole numbers already checked
//! against their ranges there, with the edge's own wording for wrong types); what depends on
//! more than one field (the level count against the per-level lists, a zero quantum) is
//! checked here.

use super::{MlfqBoostRule, SchedulerParams};
use serde_json::Value;

use crate::error::{BioxenError, Result};

/// The largest quantum (ms) and MLFQ per-level quantum.
pub const MAX_QUANTUM_MS: f64 = 1e12;
/// The largest MLFQ allotment (quanta).
pub const MAX_ALLOTMENT: f64 = 1e6;

/// Scheduler options a request sets; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchedulerUpdate {
    pub quantum_ms: Option<u64>,
    pub seed: Option<u64>,
    pub mlfq_levels: Option<u64>,
    pub mlfq_boost_ms: Option<u64>,
    pub aging_ms: Option<u64>,
    /// MLFQ quantum per level in ms, top level first (`mlfq.py -Q`), as given (an array).
    pub mlfq_quanta_ms: Option<Value>,
    /// MLFQ allotment per level in quanta, top level first (`mlfq.py -A`), as given.
    pub mlfq_allotments: Option<Value>,
    pub mlfq_boost_rule: Option<MlfqBoostRule>,
}

impl SchedulerUpdate {
    /// The parameters this request gives over `base`. A new quantum starts from the defaults
    /// derived from it (keeping `base`'s seed); without one, from `base`. Changing the number
    /// of MLFQ levels drops per-level lists made for the old number.
    pub fn apply(&self, base: &SchedulerParams) -> Result<SchedulerParams> {
        let mut p = match self.quantum_ms {
            Some(q) => SchedulerParams::with_quantum(q, base.seed),
            None => *base,
        };
        if let Some(s) = self.seed {
            p.seed = s;
        }
        if let Some(l) = self.mlfq_levels {
            if !(1..=16).contains(&l) {
                return Err(BioxenError::arg(
                    "mlfqLevels",
                    format!("{l} is out of range; expected 1..=16"),
                ));
            }
            if l as u8 != p.mlfq_levels {
                p.mlfq_quanta_ms = [0; 16];
                p.mlfq_allotments = [0; 16];
            }
            p.mlfq_levels = l as u8;
        }
        if let Some(v) = &self.mlfq_quanta_ms {
            p.mlfq_quanta_ms = level_list("mlfqQuantaMs", v, p.mlfq_levels, MAX_QUANTUM_MS)?;
        }
        if let Some(v) = &self.mlfq_allotments {
            let a = level_list("mlfqAllotments", v, p.mlfq_levels, MAX_ALLOTMENT)?;
            p.mlfq_allotments = a.map(|n| n as u32);
        }
        if let Some(b) = self.mlfq_boost_ms {
            p.mlfq_boost_ms = b;
        }
        if let Some(r) = self.mlfq_boost_rule {
            p.mlfq_boost_rule = r;
        }
        if let Some(a) = self.aging_ms {
            p.aging_ms = a;
        }
        if self.quantum_ms == Some(0) {
            return Err(BioxenError::arg(
                "quantumMs",
                "0 is out of range; expected 1..=1e12",
            ));
        }
        Ok(p)
    }
}

/// A per-level MLFQ list: an array of exactly `levels` whole numbers from 1 to `max`, top
/// level first; errors name the entry's path.
fn level_list(name: &str, v: &Value, levels: u8, max: f64) -> Result<[u64; 16]> {
    let expected = format!(
        "an array of {levels} whole numbers from 1 to {max}, one per level (mlfqLevels), top level first"
    );
    let items = v.as_array().ok_or_else(|| {
        BioxenError::arg(
            name,
            format!("{} is not an array; expected {expected}", describe(v)),
        )
    })?;
    if items.len() != usize::from(levels) {
        return Err(BioxenError::arg(
            name,
            format!("has {} entries; expected {expected}", items.len()),
        ));
    }
    let mut out = [0u64; 16];
    for (i, item) in items.iter().enumerate() {
        match item.as_f64() {
            Some(n) if n.fract() == 0.0 && (1.0..=max).contains(&n) => out[i] = n as u64,
            _ => {
                return Err(BioxenError::arg(
                    format!("{name}[{i}]"),
                    format!("{} is not a whole number from 1 to {max}", describe(item)),
                ))
            }
        }
    }
    Ok(out)
}

/// A value as a message shows it: its JSON, cut after 40 characters.
fn describe(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SchedulerParams {
        SchedulerParams::with_quantum(100, 7)
    }

    #[test]
    fn an_empty_update_keeps_everything() {
        let mut b = base();
        b.aging_ms = 5;
        assert_eq!(SchedulerUpdate::default().apply(&b).unwrap(), b);
    }

    #[test]
    fn a_new_quantum_resets_the_derived_defaults_but_keeps_the_seed() {
        let mut b = base();
        b.aging_ms = 5;
        let p = SchedulerUpdate {
            quantum_ms: Some(50),
            ..Default::default()
        }
        .apply(&b)
        .unwrap();
        assert_eq!(p, SchedulerParams::with_quantum(50, 7));
    }

    #[test]
    fn lists_must_match_the_level_count_and_are_dropped_when_it_changes() {
        let u = SchedulerUpdate {
            mlfq_levels: Some(2),
            mlfq_quanta_ms: Some(serde_json::json!([10, 20])),
            mlfq_allotments: Some(serde_json::json!([1, 3])),
            ..Default::default()
        };
        let p = u.apply(&base()).unwrap();
        assert_eq!(&p.mlfq_quanta_ms[..3], &[10, 20, 0]);
        assert_eq!(&p.mlfq_allotments[..3], &[1, 3, 0]);
        let q = SchedulerUpdate {
            mlfq_levels: Some(3),
            ..Default::default()
        }
        .apply(&p)
        .unwrap();
        assert_eq!(q.mlfq_quanta_ms, [0; 16]);
        assert_eq!(q.mlfq_allotments, [0; 16]);
        // the same count keeps them
        let same = SchedulerUpdate {
            mlfq_levels: Some(2),
            ..Default::default()
        }
        .apply(&p)
        .unwrap();
        assert_eq!(same.mlfq_quanta_ms, p.mlfq_quanta_ms);
    }

    #[test]
    fn refusals_name_the_option() {
        let b = base();
        let cases = [
            (
                SchedulerUpdate {
                    mlfq_levels: Some(17),
                    ..Default::default()
                },
                "invalid argument mlfqLevels: 17 is out of range; expected 1..=16",
            ),
            (
                SchedulerUpdate {
                    quantum_ms: Some(0),
                    ..Default::default()
                },
                "invalid argument quantumMs: 0 is out of range; expected 1..=1e12",
            ),
            (
                SchedulerUpdate {
                    mlfq_quanta_ms: Some(serde_json::json!([1])),
                    ..Default::default()
                },
                "invalid argument mlfqQuantaMs: has 1 entries; expected an array of 3 whole numbers from 1 to 1000000000000, one per level (mlfqLevels), top level first",
            ),
            (
                SchedulerUpdate {
                    mlfq_allotments: Some(serde_json::json!([1, 0, 2.5])),
                    ..Default::default()
                },
                "invalid argument mlfqAllotments[1]: 0 is not a whole number from 1 to 1000000",
            ),
            (
                SchedulerUpdate {
                    mlfq_quanta_ms: Some(serde_json::json!("fast")),
                    ..Default::default()
                },
                "invalid argument mlfqQuantaMs: \"fast\" is not an array; expected an array of 3 whole numbers from 1 to 1000000000000, one per level (mlfqLevels), top level first",
            ),
        ];
        for (u, want) in cases {
            assert_eq!(u.apply(&b).unwrap_err().to_string(), want);
        }
    }
}
