//! Marathon's event stream: an incremental Server-Sent-Events parser (pure:
//! no I/O; feed it bytes, get events) and [`EventStream`], the receiving end
//! of the client's reader thread.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::Value;

/// One event from `/v2/events`.
#[derive(Debug, Clone, PartialEq)]
pub struct MarathonEvent {
    /// `deployment_success`, `status_update_event`, … (the object's
    /// `eventType`, else the SSE `event:` field).
    pub event_type: String,
    /// The event's JSON.
    pub data: Value,
}

/// An incremental SSE parser. Handles `\n`, `\r\n` and `\r` line ends,
/// multi-line `data:`, comments, and several JSON objects in one data block
/// (marathon-lb has seen those).
#[derive(Debug, Default)]
pub struct EventParser {
    line: Vec<u8>,
    after_cr: bool,
    event: String,
    data: String,
    has_data: bool,
}

impl EventParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes; returns the events completed by them.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<MarathonEvent> {
        let mut events = Vec::new();
        for &b in bytes {
            if self.after_cr {
                self.after_cr = false;
                if b == b'\n' {
                    continue;
                }
            }
            match b {
                b'\n' => self.end_line(&mut events),
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(&mut events);
                }
                _ => self.line.push(b),
            }
        }
        events
    }

    fn end_line(&mut self, events: &mut Vec<MarathonEvent>) {
        let line = String::from_utf8_lossy(&std::mem::take(&mut self.line)).into_owned();
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_str(), ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<MarathonEvent>) {
        let event = std::mem::take(&mut self.event);
        let data = std::mem::take(&mut self.data);
        let had_data = std::mem::replace(&mut self.has_data, false);
        if !had_data {
            return;
        }
        for value in serde_json::Deserializer::from_str(&data).into_iter::<Value>() {
            match value {
                Ok(data) => {
                    let event_type = data
                        .get("eventType")
                        .and_then(Value::as_str)
                        .map_or_else(|| event.clone(), str::to_string);
                    events.push(MarathonEvent { event_type, data });
                }
                Err(err) => {
                    tracing::debug!("skipping an event whose data is not JSON: {err}");
                    break;
                }
            }
        }
    }
}

/// Events arriving from the client's reader thread, which reconnects with
/// backoff on its own. Dropping the stream stops the thread at its next read.
#[derive(Debug)]
pub struct EventStream {
    receiver: Receiver<MarathonEvent>,
}

impl EventStream {
    /// Wraps the receiving end of the reader thread's channel.
    pub fn new(receiver: Receiver<MarathonEvent>) -> Self {
        Self { receiver }
    }

    /// The next event if one arrives within `timeout`; `None` on timeout or
    /// when the reader thread has ended.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<MarathonEvent> {
        self.receiver.recv_timeout(timeout).ok()
    }
}

impl Iterator for EventStream {
    type Item = MarathonEvent;

    fn next(&mut self) -> Option<MarathonEvent> {
        self.receiver.recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn types(events: &[MarathonEvent]) -> Vec<&str> {
        events.iter().map(|e| e.event_type.as_str()).collect()
    }

    #[test]
    fn parses_events_split_across_chunks() {
        let mut p = EventParser::new();
        assert!(p.feed(b"event: deployment_success\nda").is_empty());
        assert!(
            p.feed(b"ta: {\"id\":\"d1\",\"eventType\":\"deployment_su")
                .is_empty()
        );
        let events = p.feed(b"ccess\"}\n\n");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event_type, "deployment_success");
        assert_eq!(events[0].data["id"], "d1");
    }

    #[test]
    fn crlf_and_cr_line_ends_and_comments() {
        let mut p = EventParser::new();
        let events = p.feed(b": keep-alive\r\n\r\nevent: a\r\ndata: {\"x\":1}\r");
        assert!(events.is_empty());
        let events = p.feed(b"\n\r\nevent: b\rdata: {\"x\":2}\r\r");
        assert_eq!(types(&events), ["a", "b"]);
        assert_eq!(events[1].data, json!({"x": 2}));
    }

    #[test]
    fn multi_line_data_is_joined() {
        let mut p = EventParser::new();
        let events = p.feed(b"event: e\ndata: {\"a\":\ndata: [1,\ndata:2]}\n\n");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data, json!({"a": [1, 2]}));
    }

    #[test]
    fn several_objects_in_one_data_block() {
        let mut p = EventParser::new();
        let events = p.feed(
            b"event: status_update_event\ndata: {\"eventType\":\"status_update_event\",\"n\":1}\r\ndata: {\"eventType\":\"health_status_changed_event\",\"n\":2} {\"n\":3}\n\n",
        );
        assert_eq!(
            types(&events),
            [
                "status_update_event",
                "health_status_changed_event",
                "status_update_event"
            ]
        );
    }

    #[test]
    fn blocks_without_data_or_with_bad_json_yield_nothing() {
        let mut p = EventParser::new();
        assert!(p.feed(b"event: x\n\nretry: 10\nid: 4\n\n").is_empty());
        assert!(p.feed(b"data: not json\n\n").is_empty());
        let events = p.feed(b"data: {}\n\n");
        assert_eq!(types(&events), [""]);
    }
}
