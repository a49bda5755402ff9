//! `--drain-metric`: whether a task still has pending work, read from its
//! metrics endpoint before it is killed (pure: no I/O; the driver fetches).
//!
//! Two readers: a Prometheus gauge (text exposition format 0.0.4 and
//! OpenMetrics: `# HELP`/`# TYPE`/`# EOF` comments, `name{labels} value
//! [timestamp]`, every sample of the gauge summed over its label sets), or a
//! jq program over a JSON body. Anything that cannot be read says "busy":
//! a task is killed only on a clear 0.

use std::sync::Arc;

use serde_json::Value;

use crate::jq::JqFilter;

/// How `--drain-metric` reads a task's pending work.
#[derive(Debug, Clone)]
pub struct DrainMetric {
    /// URL template with `{host}` and `{port}`.
    pub url: String,
    /// A Prometheus gauge name, or a jq program over a JSON body.
    pub reader: MetricReader,
}

impl DrainMetric {
    /// The URL of one task: `{host}` and `{port}` (its first port) filled in.
    pub fn url_for(&self, host: &str, port: u32) -> String {
        self.url
            .replace("{host}", host)
            .replace("{port}", &port.to_string())
    }
}

/// How to read the value out of the metric endpoint's body.
#[derive(Debug, Clone)]
pub enum MetricReader {
    /// Every sample of this Prometheus metric must be 0.
    Gauge(String),
    /// A jq program with at least one output, all of them 0, false or null.
    Jq(Arc<JqFilter>),
}

impl MetricReader {
    /// Whether the body says the task has no pending work. A missing gauge,
    /// a value that is not a number (or NaN), a body that is not JSON or a
    /// jq program without output all mean "not idle".
    pub fn is_idle(&self, body: &str) -> bool {
        match self {
            Self::Gauge(name) => {
                let samples = gauge_samples(body, name);
                !samples.is_empty() && samples.iter().all(|v| *v == Some(0.0))
            }
            Self::Jq(filter) => serde_json::from_str::<Value>(body)
                .ok()
                .and_then(|v| filter.run(&v).ok())
                .is_some_and(|outs| {
                    !outs.is_empty()
                        && outs.iter().all(|o| {
                            matches!(o, Value::Null | Value::Bool(false)) || o.as_f64() == Some(0.0)
                        })
                }),
        }
    }
}

/// The values of every sample of metric `name` in a Prometheus text body,
/// in order; `None` for a value that is not a number (NaN included).
pub fn gauge_samples(body: &str, name: &str) -> Vec<Option<f64>> {
    body.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let rest = line.strip_prefix(name)?;
            let after_name = match rest.strip_prefix('{') {
                Some(labels) => labels_end(labels).map(|end| &labels[end..]),
                None if rest.is_empty() || rest.starts_with([' ', '\t']) => Some(rest),
                None => return None,
            };
            Some(
                after_name
                    .and_then(|r| r.split_whitespace().next())
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|v| !v.is_nan()),
            )
        })
        .collect()
}

/// The index just past the `}` closing a label set (the text after `{`);
/// `}` inside a quoted, backslash-escaped label value does not count.
fn labels_end(labels: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in labels.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '}' if !quoted => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gauge(body: &str) -> bool {
        MetricReader::Gauge("pending_operations".into()).is_idle(body)
    }

    fn jq(program: &str, body: &str) -> bool {
        MetricReader::Jq(Arc::new(JqFilter::compile(program).unwrap())).is_idle(body)
    }

    const TASK_SERVER: &str = "# HELP pending_operations Operations not yet finished.\n\
                               # TYPE pending_operations gauge\npending_operations 0\n";

    #[test]
    fn a_zero_gauge_after_its_comments_is_idle_and_any_other_value_is_busy() {
        assert!(gauge(TASK_SERVER));
        assert!(!gauge(&TASK_SERVER.replace(" 0\n", " 3\n")));
        assert!(!gauge(&TASK_SERVER.replace(" 0\n", " 0.5\n")));
        assert!(!gauge(&TASK_SERVER.replace(" 0\n", " -1\n")));
        assert!(gauge(&TASK_SERVER.replace(" 0\n", " 0.0e0\n")));
    }

    #[test]
    fn every_labelled_sample_must_be_zero() {
        let body = "pending_operations{queue=\"a\"} 0\n\
                    pending_operations{queue=\"b\",shard=\"2\"} 0 1712000000000\n";
        assert!(gauge(body));
        let busy = "pending_operations{queue=\"a\"} 2\npending_operations{queue=\"b\"} -2\n";
        assert!(!gauge(busy), "samples do not cancel out");
        assert_eq!(
            gauge_samples(busy, "pending_operations"),
            [Some(2.0), Some(-2.0)]
        );
    }

    #[test]
    fn the_value_is_read_before_the_timestamp_and_label_values_may_hold_spaces_and_braces() {
        let body = "pending_operations{path=\"/a b}\",q=\"say \\\"}\\\"\"} 4 1712000000000\n";
        assert_eq!(gauge_samples(body, "pending_operations"), [Some(4.0)]);
        assert!(gauge("pending_operations 0 1712000000000\n"));
    }

    #[test]
    fn other_metrics_and_longer_names_are_not_the_gauge() {
        let body = "pending_operations_total 7\nother_pending_operations 9\n\
                    # pending_operations 5\npending_operations 0\n";
        assert_eq!(gauge_samples(body, "pending_operations"), [Some(0.0)]);
        assert!(gauge(body));
    }

    #[test]
    fn a_missing_gauge_or_an_unreadable_value_is_not_idle() {
        assert!(!gauge(""));
        assert!(!gauge("# TYPE pending_operations gauge\n"));
        assert!(!gauge("requests_total 0\n"));
        assert!(!gauge("pending_operations NaN\n"));
        assert!(!gauge("pending_operations +Inf\n"));
        assert!(!gauge("pending_operations zero\n"));
        assert!(!gauge("pending_operations\n"));
        assert!(
            !gauge("pending_operations{queue=\"a\" 0\n"),
            "unclosed labels"
        );
        assert!(!gauge(
            "pending_operations 0\npending_operations{queue=\"a\" 0\n"
        ));
        assert!(!gauge("pending_operations 0\npending_operations\n"));
        assert!(!gauge("pending_operations 0\npending_operations NaN\n"));
    }

    #[test]
    fn openmetrics_eof_and_blank_lines_are_ignored() {
        assert!(gauge("\n  pending_operations 0\n\n# EOF\n"));
    }

    #[test]
    fn a_jq_program_must_give_only_zero_false_or_null() {
        assert!(jq(".pending", r#"{"pending": 0}"#));
        assert!(jq(".busy", r#"{"busy": false}"#));
        assert!(jq(".missing", r#"{"pending": 0}"#));
        assert!(jq(".queues[]", r#"{"queues": [0, 0.0]}"#));
        assert!(!jq(".pending", r#"{"pending": 2}"#));
        assert!(!jq(".busy", r#"{"busy": true}"#));
        assert!(!jq(".state", r#"{"state": "idle"}"#));
        assert!(!jq(".queues[]", r#"{"queues": [0, 1]}"#));
    }

    #[test]
    fn a_jq_program_without_output_or_a_body_that_is_not_json_is_not_idle() {
        assert!(!jq(".queues[]", r#"{"queues": []}"#));
        assert!(!jq(".pending", "pending_operations 0\n"));
        assert!(!jq(".pending | error(\"no\")", r#"{"pending": 0}"#));
    }

    #[test]
    fn the_url_names_the_tasks_host_and_first_port() {
        let metric = DrainMetric {
            url: "http://{host}:{port}/metrics?host={host}".into(),
            reader: MetricReader::Gauge("g".into()),
        };
        assert_eq!(
            metric.url_for("agent-1", 31005),
            "http://agent-1:31005/metrics?host=agent-1"
        );
    }
}
