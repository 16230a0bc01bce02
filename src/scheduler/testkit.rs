//! A minimal driver that runs one policy over textbook jobs (arrival, burst) with no
//! context-switch cost, following the same protocol as the hypervisor. Tests only.
#![allow(dead_code)]

use super::{AnyScheduler, Ms, Scheduler, SchedulerKind, SchedulerParams, TaskInfo};

/// A task with default weight and priority, `remaining_ms` of work and creation order `seq`.
pub fn task(remaining_ms: Ms, seq: u64) -> TaskInfo {
    TaskInfo {
        weight: 256,
        priority: 5,
        cap_percent: 0,
        remaining_ms,
        seq,
        arrival_ms: 0,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub arrival: Ms,
    pub burst: Ms,
    pub priority: u8,
    pub weight: u32,
    pub cap_percent: u32,
}

impl Job {
    pub fn new(arrival: Ms, burst: Ms) -> Self {
        Job {
            arrival,
            burst,
            priority: 5,
            weight: 256,
            cap_percent: 0,
        }
    }
    pub fn priority(mut self, p: u8) -> Self {
        self.priority = p;
        self
    }
    pub fn weight(mut self, w: u32) -> Self {
        self.weight = w;
        self
    }
    pub fn cap(mut self, c: u32) -> Self {
        self.cap_percent = c;
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct JobsResult {
    pub arrival: Vec<Ms>,
    pub burst: Vec<Ms>,
    pub first_run: Vec<Ms>,
    pub completion: Vec<Ms>,
    /// Machinery time received by each job (equals burst for finished jobs).
    pub received: Vec<Ms>,
    /// (job, start, end) run segments, merged when the same job continues.
    pub gantt: Vec<(usize, Ms, Ms)>,
    /// Number of dispatches that changed the running job.
    pub switches: usize,
}

impl JobsResult {
    pub fn turnaround(&self) -> Vec<Ms> {
        (0..self.arrival.len())
            .map(|i| self.completion[i] - self.arrival[i])
            .collect()
    }
    pub fn waiting(&self) -> Vec<Ms> {
        self.turnaround()
            .iter()
            .zip(&self.burst)
            .map(|(t, b)| t - b)
            .collect()
    }
    pub fn response(&self) -> Vec<Ms> {
        (0..self.arrival.len())
            .map(|i| self.first_run[i] - self.arrival[i])
            .collect()
    }
}

pub fn run_jobs(kind: SchedulerKind, jobs: &[Job]) -> JobsResult {
    run_jobs_with(kind, &SchedulerParams::with_quantum(10, 7), jobs)
}

/// Run `jobs` to completion (each one finite cycle). Jobs with the same arrival are
/// enqueued in index order.
pub fn run_jobs_with(kind: SchedulerKind, params: &SchedulerParams, jobs: &[Job]) -> JobsResult {
    run_jobs_until(kind, params, jobs, Ms::MAX)
}

/// Like [`run_jobs_with`] but stops at `horizon` (unfinished jobs have completion `Ms::MAX`).
pub fn run_jobs_until(
    kind: SchedulerKind,
    params: &SchedulerParams,
    jobs: &[Job],
    horizon: Ms,
) -> JobsResult {
    let mut s = AnyScheduler::new(kind, params);
    let n = jobs.len();
    let mut remaining: Vec<Ms> = jobs.iter().map(|j| j.burst).collect();
    let mut r = JobsResult {
        arrival: jobs.iter().map(|j| j.arrival).collect(),
        burst: jobs.iter().map(|j| j.burst).collect(),
        first_run: vec![Ms::MAX; n],
        completion: vec![Ms::MAX; n],
        received: vec![0; n],
        ..Default::default()
    };
    let info = |i: usize, rem: Ms| TaskInfo {
        weight: jobs[i].weight,
        priority: jobs[i].priority,
        cap_percent: jobs[i].cap_percent,
        remaining_ms: rem,
        seq: i as u64,
        arrival_ms: jobs[i].arrival,
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (jobs[i].arrival, i));
    let mut next_arrival = 0usize;
    let mut now: Ms = 0;
    let mut done = 0usize;
    let mut last: Option<usize> = None;
    // (job, started at, slice end)
    let mut current: Option<(usize, Ms, Ms)> = None;
    let mut guard = 0u64;
    while done < n && now < horizon {
        guard += 1;
        assert!(guard < 50_000_000, "testkit: no progress");
        // Admit arrivals due now.
        while next_arrival < n && jobs[order[next_arrival]].arrival <= now {
            let i = order[next_arrival];
            next_arrival += 1;
            s.enqueue(i as u32, &info(i, remaining[i]), now);
            if let Some((c, started, _)) = current {
                if s.preempts(i as u32, c as u32, now) {
                    let ran = now - started;
                    s.charge(c as u32, ran, now, &info(c, remaining[c]));
                    current = None;
                }
            }
        }
        if current.is_none() {
            match s.pick(now) {
                Some(d) => {
                    let i = d.slot as usize;
                    assert!(d.max_run_ms >= 1, "{kind}: zero-length dispatch");
                    assert!(remaining[i] > 0, "{kind}: picked a finished job");
                    if last != Some(i) {
                        r.switches += 1;
                    }
                    if r.first_run[i] == Ms::MAX {
                        r.first_run[i] = now;
                    }
                    current = Some((i, now, now.saturating_add(d.max_run_ms)));
                }
                None => {
                    // Idle until the next arrival or the policy's wake-up.
                    let wake = s.next_wakeup(now).filter(|&w| w > now);
                    let arr = (next_arrival < n).then(|| jobs[order[next_arrival]].arrival);
                    match (wake, arr) {
                        (None, None) => panic!("{kind}: jobs left but nothing can run"),
                        (a, b) => {
                            now = a.unwrap_or(Ms::MAX).min(b.unwrap_or(Ms::MAX)).min(horizon);
                            continue;
                        }
                    }
                }
            }
        }
        let (i, started, slice_end) = current.expect("dispatched");
        let finish = now + remaining[i];
        let arr = if next_arrival < n {
            jobs[order[next_arrival]].arrival
        } else {
            Ms::MAX
        };
        let until = finish.min(slice_end).min(arr).min(horizon);
        let dt = until - now;
        remaining[i] -= dt;
        r.received[i] += dt;
        match r.gantt.last_mut() {
            Some((j, _, end)) if *j == i && *end == now => *end = until,
            _ => {
                if dt > 0 {
                    r.gantt.push((i, now, until))
                }
            }
        }
        now = until;
        last = Some(i);
        if remaining[i] == 0 {
            r.completion[i] = now;
            done += 1;
            s.charge(i as u32, now - started, now, &info(i, 0));
            s.remove(i as u32, now);
            current = None;
        } else if now >= slice_end {
            s.charge(i as u32, now - started, now, &info(i, remaining[i]));
            current = None;
        }
    }
    r
}
