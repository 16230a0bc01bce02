//! Live sessions: a hypervisor driven operation by operation, recording each operation that
//! succeeds (and the time reached) so that the session rebuilds it.

use super::format::{SessionError, MAX_END_MS};
use super::replay::{apply_op, replay, ReplayOptions};
use super::types::{Op, Session, TimedOp};
use crate::error::BioxenError;
use crate::hypervisor::Hypervisor;

/// A hypervisor with the session that rebuilds it: operations performed through it are
/// recorded (with the time at which they happened) only when they succeed, as in the
/// playground. Used by the interactive CLI and the dashboard.
#[derive(Debug)]
pub struct LiveSession {
    h: Hypervisor,
    session: Session,
}

impl LiveSession {
    /// Replay `session` strictly and continue from where it ended.
    pub fn new(session: Session) -> Result<Self, SessionError> {
        let r = replay(&session, ReplayOptions::default(), &mut |_| {})?;
        let mut session = session;
        session.end_ms = r.hypervisor.now_ms();
        Ok(LiveSession {
            h: r.hypervisor,
            session,
        })
    }

    pub fn hypervisor(&self) -> &Hypervisor {
        &self.h
    }

    /// The session so far, ending now.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Apply `op` now; on success record it. `password` is used for an xcpng VM and never
    /// recorded.
    pub fn perform(&mut self, op: Op, password: Option<&str>) -> Result<(), BioxenError> {
        apply_op(&mut self.h, &op, password)?;
        self.session.ops.push(TimedOp {
            at_ms: self.h.now_ms(),
            op,
        });
        Ok(())
    }

    /// Advance simulated time by `dt_ms` (at most to the 90-day limit of sessions).
    pub fn advance(&mut self, dt_ms: u64) -> Result<(), BioxenError> {
        let target = self.h.now_ms().saturating_add(dt_ms).min(MAX_END_MS);
        if target > self.h.now_ms() {
            self.h.step(target - self.h.now_ms())?;
        }
        self.session.end_ms = self.h.now_ms();
        Ok(())
    }

    /// Switch to another session (replayed strictly); unchanged on failure.
    pub fn replace(&mut self, session: Session) -> Result<(), SessionError> {
        *self = LiveSession::new(session)?;
        Ok(())
    }
}
