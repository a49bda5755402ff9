//! Marathon's event bus and its Server-Sent Events stream (`GET /v2/events`).
//!
//! Every published event gets `eventType` and `timestamp`; subscribers see the
//! events whose type is in their `event_type` filter (all when empty). The
//! stream is written as `event: <type>\ndata: <json>\n\n` in HTTP chunks,
//! flushed one event at a time, and starts with `event_stream_attached`.

use super::clock;
use serde_json::{Value, json};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// What the bus sends to one open stream.
pub enum Message {
    /// One framed SSE event.
    Event(String),
    /// Close the connection abruptly (fault injection).
    Drop,
}

struct Subscriber {
    filter: Vec<String>,
    tx: Sender<Message>,
}

/// Fan-out of events to the open `/v2/events` streams.
#[derive(Default)]
pub struct EventBus {
    subscribers: Mutex<Vec<Subscriber>>,
}

impl EventBus {
    /// Publishes an event of `event_type`; `body` must be a JSON object.
    pub fn publish(&self, event_type: &str, mut body: Value) {
        if let Some(obj) = body.as_object_mut() {
            obj.insert("eventType".to_owned(), json!(event_type));
            obj.insert("timestamp".to_owned(), json!(clock::now_iso()));
        }
        let framed = frame(event_type, &body);
        let mut subscribers = self
            .subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        subscribers.retain(|sub| {
            if !sub.filter.is_empty() && !sub.filter.iter().any(|t| t == event_type) {
                return true;
            }
            sub.tx.send(Message::Event(framed.clone())).is_ok()
        });
    }

    /// Opens a subscription for the given `event_type` filter (empty = all types).
    pub fn subscribe(&self, filter: Vec<String>) -> Receiver<Message> {
        let (tx, rx) = mpsc::channel();
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Subscriber { filter, tx });
        rx
    }

    /// Tells every open stream to drop its connection.
    pub fn drop_all(&self) {
        for sub in self
            .subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
        {
            sub.tx.send(Message::Drop).ok();
        }
    }

    /// How many streams are open.
    pub fn subscriber_count(&self) -> usize {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// `event: <type>\ndata: <json>\n\n`.
fn frame(event_type: &str, body: &Value) -> String {
    format!("event: {event_type}\ndata: {body}\n\n")
}

/// Writes an SSE response to `out` until the client goes away, the stream is
/// dropped by a fault (returns without the final chunk, so the caller's close
/// looks abrupt), or `shutdown` is set (ends the chunked body properly).
pub fn serve(
    out: &mut dyn Write,
    rx: &Receiver<Message>,
    remote: &str,
    shutdown: &AtomicBool,
) -> io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
          Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )?;
    let attached = json!({
        "remoteAddress": remote,
        "eventType": "event_stream_attached",
        "timestamp": clock::now_iso(),
    });
    write_chunk(out, &frame("event_stream_attached", &attached))?;
    while !shutdown.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Message::Event(text)) => write_chunk(out, &text)?,
            Ok(Message::Drop) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
    out.write_all(b"0\r\n\r\n")?;
    out.flush()
}

fn write_chunk(out: &mut dyn Write, text: &str) -> io::Result<()> {
    write!(out, "{:x}\r\n{text}\r\n", text.len())?;
    out.flush()
}
