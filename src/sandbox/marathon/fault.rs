//! Fault injection: make the next requests matching a method and path prefix
//! fail (5xx), slow down, or hit a deployment lock (409), and cut event streams.

use std::time::Duration;

/// What a fault does to a matching request.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Answer with this status and a JSON `{"message"}` body.
    Status(u16),
    /// Sleep this long, then handle the request normally.
    Latency(Duration),
    /// Answer 409 with Marathon's app-lock message and a made-up deployment id.
    Locked,
    /// Close every open `/v2/events` stream at once (applied when injected).
    DropEventStreams,
}

/// One injected fault: a kind, which requests it matches, and how many times.
///
/// ```ignore
/// sim.inject(Fault::status(503).on("GET", "/v2/apps").times(2));
/// sim.inject(Fault::latency(Duration::from_millis(300)));
/// sim.inject(Fault::drop_event_streams());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    /// Upper-case HTTP method to match; `None` matches any.
    pub method: Option<String>,
    /// Prefix of the Marathon path (without `/service/marathon`), e.g. `/v2/apps`.
    pub path_prefix: String,
    /// How many matching requests are affected.
    pub times: usize,
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            method: None,
            path_prefix: String::from("/"),
            times: 1,
        }
    }

    /// The next matching request gets `status` (e.g. 500, 503) with a JSON body.
    pub fn status(status: u16) -> Self {
        Self::new(FaultKind::Status(status))
    }

    /// The next matching request is delayed by `delay`.
    pub fn latency(delay: Duration) -> Self {
        Self::new(FaultKind::Latency(delay))
    }

    /// The next matching request gets Marathon's 409 "App is locked" answer.
    pub fn locked() -> Self {
        Self::new(FaultKind::Locked)
    }

    /// Drops all open event streams when injected.
    pub fn drop_event_streams() -> Self {
        Self::new(FaultKind::DropEventStreams)
    }

    /// Only requests with this method whose path starts with `path_prefix`.
    pub fn on(mut self, method: &str, path_prefix: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path_prefix = path_prefix.to_owned();
        self
    }

    /// Affect `times` matching requests instead of one.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// Whether this fault applies to a request.
    pub(super) fn matches(&self, method: &str, path: &str) -> bool {
        self.times > 0
            && self.method.as_deref().is_none_or(|m| m == method)
            && path.starts_with(&self.path_prefix)
    }
}
