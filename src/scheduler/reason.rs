//! Why the scheduler chose a VM: one typed [`Reason`] per dispatch, with the numbers the
//! policy decided on (never text), rendered in words a learner can follow by its `Display`
//! impl at the edges (JS, CLI, playground).
//!
//! `waiting` always counts the candidates at the decision, the chosen VM included.

use serde::{Deserialize, Serialize};

use super::credit::CreditPriority;
use super::Ms;

/// What broke a tie between equally good candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tie {
    /// No other candidate was as good.
    None,
    /// An equal candidate arrived (or was queued) later.
    Arrival,
    /// An equal candidate arrived at the same time: creation (row) order decided.
    Order,
}

/// The scheduler's reason for one dispatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// FCFS: the head of the arrival-ordered queue.
    FirstInLine { waiting: u32 },
    /// Round robin: the head of the queue, for one quantum.
    NextInQueue { waiting: u32 },
    /// SJF (`preemptive` false) or SRTF: the least remaining work (None: endless, a VM
    /// whose work is not bounded).
    Shortest {
        remaining_ms: Option<u64>,
        waiting: u32,
        preemptive: bool,
        tie: Tie,
    },
    /// Priority: the highest effective priority (`base` plus aging).
    Priority {
        priority: u64,
        base: u8,
        waiting: u32,
        tie: Tie,
    },
    /// MLFQ: the head of the highest non-empty queue, with what is left of its allotment.
    Mlfq {
        level: u8,
        allotment_left_ms: Ms,
        waiting: u32,
    },
    /// Lottery: the winning ticket (0-based) of `total`; the winner held `held`.
    Lottery { ticket: u64, total: u64, held: u64 },
    /// Credit: the head of the best non-empty class, with its credit in µs of machinery.
    Credit {
        class: CreditPriority,
        credit_us: i64,
        in_class: u32,
        waiting: u32,
    },
    /// EEVDF: eligible (lag ≥ 0, in µs of machinery owed), earliest virtual deadline.
    Eevdf { lag_us: i64, waiting: u32 },
}

/// A duration for people: ms below 10 s, then s, min, h (one decimal where it matters).
pub fn human_ms(ms: f64) -> String {
    let a = ms.abs();
    if a < 10_000.0 {
        let r = (ms * 10.0).round() / 10.0;
        if r.fract() == 0.0 {
            format!("{} ms", group(r as i64))
        } else {
            format!("{r:.1} ms")
        }
    } else if a < 120_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if a < 7_200_000.0 {
        format!("{:.1} min", ms / 60_000.0)
    } else {
        format!("{:.1} h", ms / 3_600_000.0)
    }
}

fn group(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn of(waiting: u32) -> String {
    if waiting <= 1 {
        "the only one waiting".into()
    } else {
        format!("of {waiting} waiting")
    }
}

impl std::fmt::Display for Tie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tie::None => Ok(()),
            Tie::Arrival => f.write_str("; earlier arrival breaks the tie"),
            Tie::Order => f.write_str("; same arrival, row order breaks the tie"),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Reason::FirstInLine { waiting } => {
                write!(f, "first come, first in line ({})", of(waiting))
            }
            Reason::NextInQueue { waiting } => write!(f, "next in the queue ({})", of(waiting)),
            Reason::Shortest {
                remaining_ms,
                waiting,
                preemptive,
                tie,
            } => {
                let what = if preemptive {
                    "shortest remaining"
                } else {
                    "shortest job"
                };
                let left = remaining_ms.map_or_else(|| "endless".into(), |ms| human_ms(ms as f64));
                write!(f, "{what}: {left} {}{tie}", of(waiting))
            }
            Reason::Priority {
                priority,
                base,
                waiting,
                tie,
            } => {
                let best = if waiting <= 1 {
                    "the only one waiting".to_string()
                } else {
                    format!("highest of {waiting}")
                };
                write!(f, "priority {priority}, {best}")?;
                if priority > u64::from(base) {
                    write!(f, " (base {base}, raised by waiting)")?;
                }
                write!(f, "{tie}")
            }
            Reason::Mlfq {
                level,
                allotment_left_ms,
                waiting,
            } => write!(
                f,
                "queue {level}, {} of allotment left ({})",
                human_ms(allotment_left_ms as f64),
                of(waiting)
            ),
            Reason::Lottery {
                ticket,
                total,
                held,
            } => write!(
                f,
                "ticket {} of {}, one of its {}",
                group(ticket as i64 + 1),
                group(total as i64),
                group(held as i64)
            ),
            Reason::Credit {
                class,
                credit_us,
                in_class,
                waiting,
            } => {
                let c = match class {
                    CreditPriority::Boost => "BOOST",
                    CreditPriority::Under => "UNDER",
                    CreditPriority::Over => "OVER",
                };
                write!(
                    f,
                    "{c} with {} of credit, first of {in_class} in {c} ({})",
                    human_ms(credit_us as f64 / 1000.0),
                    of(waiting)
                )
            }
            Reason::Eevdf { lag_us, waiting } => {
                let sign = if lag_us >= 0 { "+" } else { "" };
                write!(
                    f,
                    "eligible (lag {sign}{}), earliest virtual deadline ({})",
                    human_ms(lag_us as f64 / 1000.0),
                    of(waiting)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_the_textbook() {
        let r = Reason::Lottery {
            ticket: 16,
            total: 40,
            held: 10,
        };
        assert_eq!(r.to_string(), "ticket 17 of 40, one of its 10");
        let r = Reason::Mlfq {
            level: 1,
            allotment_left_ms: 40,
            waiting: 2,
        };
        assert_eq!(
            r.to_string(),
            "queue 1, 40 ms of allotment left (of 2 waiting)"
        );
        let r = Reason::Credit {
            class: CreditPriority::Under,
            credit_us: 1_200_000,
            in_class: 2,
            waiting: 3,
        };
        assert_eq!(
            r.to_string(),
            "UNDER with 1,200 ms of credit, first of 2 in UNDER (of 3 waiting)"
        );
        let r = Reason::Priority {
            priority: 2,
            base: 2,
            waiting: 4,
            tie: Tie::Arrival,
        };
        assert_eq!(
            r.to_string(),
            "priority 2, highest of 4; earlier arrival breaks the tie"
        );
        assert_eq!(human_ms(3.0), "3 ms");
        assert_eq!(human_ms(600_000.0), "10.0 min");
    }
}
