//! Waiting for a condition on Marathon's state: re-checks whenever a
//! subscribed event arrives, and at least every `interval` (so a lost or
//! unsupported event stream only slows it down), until a deadline.

use std::time::{Duration, Instant};

use crate::marathon::client::MarathonClient;
use crate::marathon::events::MarathonEvent;

/// How a wait ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitOutcome<T> {
    /// The check returned a value.
    Done(T),
    /// The deadline passed first.
    TimedOut,
}

/// Calls `check` now, after every event of `event_types`, and every
/// `interval`, until it returns `Some` or `timeout` passes. `check` sees
/// the event that woke it, if any; its error, of the caller's type, ends the
/// wait.
pub fn wait_for<T, E>(
    client: &MarathonClient,
    event_types: &[&str],
    timeout: Duration,
    interval: Duration,
    mut check: impl FnMut(Option<&MarathonEvent>) -> Result<Option<T>, E>,
) -> Result<WaitOutcome<T>, E> {
    let deadline = Instant::now() + timeout;
    let events = match client.events(event_types) {
        Ok(stream) => Some(stream),
        Err(err) => {
            tracing::debug!("no event stream, polling every {interval:?}: {err}");
            None
        }
    };
    let mut woken_by: Option<MarathonEvent> = None;
    loop {
        if let Some(done) = check(woken_by.as_ref())? {
            return Ok(WaitOutcome::Done(done));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(WaitOutcome::TimedOut);
        }
        let pause = interval.min(deadline - now);
        woken_by = match &events {
            Some(stream) => stream.recv_timeout(pause),
            None => {
                std::thread::sleep(pause);
                None
            }
        };
    }
}
