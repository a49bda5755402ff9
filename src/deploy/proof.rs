//! How a deploy proves that no HAProxy process still sends requests to a
//! task before it kills it (pure: the LBs' answers in, a choice out).
//!
//! marathon-lb reloads HAProxy for every change, and the worker a reload
//! replaces keeps serving the connections it has; the stats of the serving
//! worker cannot see it. Three proofs exist, each with what it assumes:
//! - [`DrainProof::Pids`], zdd.py's: `/_haproxy_getpids` lists only the
//!   master and one worker. Exact, but marathon-lb's handler forks inside
//!   the worker, which breaks live requests when the worker runs several
//!   threads (HAProxy's default since 2.0, one per CPU).
//! - [`DrainProof::Horizon`]: a task is killed once the reload that took it
//!   out of service is older than the time an older worker may still send
//!   to it, bounded from the running config (see [`crate::lb::horizon`]).
//!   No fork; it assumes no request runs longer than the timeouts allow.
//! - [`DrainProof::Metric`]: the app's own gauge (`--drain-metric`) reads 0,
//!   whichever HAProxy process might send to the task. No fork; it assumes
//!   the gauge counts every open connection or request.

use std::fmt;

pub use crate::lb::client::LbProfile;

/// What the user asked for (`--drain-proof`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProofChoice {
    /// `metric` with `--drain-metric`, else `pids` when every marathon-lb
    /// runs one HAProxy thread, else `horizon` (`pids` for `mode tcp`
    /// backends, which have no horizon without hard-stop-after).
    Auto,
    /// zdd.py's `/_haproxy_getpids` check (forks inside HAProxy).
    Pids,
    /// Wait out the reload horizon from the running config (no fork).
    Horizon,
    /// The `--drain-metric` gauge alone (no fork).
    Metric,
}

/// The proof in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrainProof {
    /// Every LB runs only its master and one worker.
    Pids,
    /// Every reload that could still send to a task is older than the horizon.
    Horizon {
        /// Each LB's running config.
        configs: Vec<(String, String)>,
        /// Chosen by `auto`: a backend without a horizon falls back to `pids`.
        auto: bool,
    },
    /// The drain metric reads 0.
    Metric,
}

impl DrainProof {
    /// The proof's name as `--drain-proof` spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Pids => "pids",
            Self::Horizon { .. } => "horizon",
            Self::Metric => "metric",
        }
    }
}

/// A choice that cannot be honoured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofError {
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// Whether the user's flags are at fault (else an LB).
    pub usage: bool,
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Chooses the proof and says why, in one line for the deploy's first lines.
pub fn choose(
    choice: ProofChoice,
    drain_metric: bool,
    lbs: &[LbProfile],
) -> Result<(DrainProof, String), ProofError> {
    let threads = thread_counts(lbs);
    let threaded: Vec<&(String, u32)> = threads.iter().filter(|(_, t)| *t > 1).collect();
    let describe = |list: &[&(String, u32)]| {
        list.iter()
            .map(|(url, t)| format!("marathon-lb at {url} runs {t} HAProxy threads"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match choice {
        ProofChoice::Metric | ProofChoice::Auto if drain_metric => Ok((
            DrainProof::Metric,
            "drain proof: metric — a task is killed when it is MAINT with no session on every \
             marathon-lb and its --drain-metric reads 0; /_haproxy_getpids is not called"
                .into(),
        )),
        ProofChoice::Metric => Err(ProofError {
            message: "--drain-proof metric needs a drain metric".into(),
            hint: "add --drain-metric URL-TEMPLATE with --drain-metric-gauge NAME or --drain-metric-jq EXPR"
                .into(),
            usage: true,
        }),
        ProofChoice::Pids => {
            let risk = if threaded.is_empty() {
                String::new()
            } else {
                format!(
                    " (as asked; {}: each call forks inside a threaded worker and may break live requests)",
                    describe(&threaded)
                )
            };
            Ok((
                DrainProof::Pids,
                format!(
                    "drain proof: pids — a kill waits until /_haproxy_getpids shows one worker on every marathon-lb{risk}"
                ),
            ))
        }
        ProofChoice::Auto if !lbs.is_empty() && threaded.is_empty() && threads.len() == lbs.len() => {
            Ok((
                DrainProof::Pids,
                "drain proof: pids — every marathon-lb runs 1 HAProxy thread, so /_haproxy_getpids \
                 (which forks) is safe to ask once per kill"
                    .into(),
            ))
        }
        ProofChoice::Auto | ProofChoice::Horizon => {
            let unread: Vec<String> = lbs
                .iter()
                .filter_map(|lb| {
                    let ((Err(why), _) | (_, Err(why))) = (&lb.worker, &lb.config) else {
                        return None;
                    };
                    Some(format!("{} ({why})", lb.url))
                })
                .collect();
            if !unread.is_empty() {
                return Err(ProofError {
                    message: format!(
                        "the reload horizon needs each marathon-lb's /haproxy?stats and /_haproxy_getconfig, \
                         which could not be read: {}; nothing was changed",
                        unread.join(", ")
                    ),
                    hint: "check -l/--marathon-lb, or choose --drain-proof pids (forks inside HAProxy) \
                           or --drain-metric"
                        .into(),
                    usage: false,
                });
            }
            let why = if threaded.is_empty() {
                "as asked".to_string()
            } else {
                format!("{}: not calling /_haproxy_getpids, which forks", describe(&threaded))
            };
            Ok((
                DrainProof::Horizon {
                    configs: lbs
                        .iter()
                        .filter_map(|lb| Some((lb.url.clone(), lb.config.clone().ok()?)))
                        .collect(),
                    auto: choice == ProofChoice::Auto,
                },
                format!(
                    "drain proof: horizon — {why}; a task is killed once the reload that took it out \
                     of service is older than the time an older HAProxy worker may still send to it"
                ),
            ))
        }
    }
}

fn thread_counts(lbs: &[LbProfile]) -> Vec<(String, u32)> {
    lbs.iter()
        .filter_map(|lb| Some((lb.url.clone(), lb.worker.as_ref().ok()?.threads)))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::lb::worker::Worker;

    fn lb(threads: u32) -> LbProfile {
        LbProfile {
            url: format!("http://lb{threads}:9090"),
            worker: Ok(Worker {
                pid: 7,
                threads,
                uptime: Duration::from_secs(3),
            }),
            config: Ok("defaults\n  timeout server 30s\n".into()),
        }
    }

    #[test]
    fn auto_picks_the_metric_when_there_is_one() {
        let (proof, why) = choose(ProofChoice::Auto, true, &[lb(2)]).unwrap();
        assert_eq!(proof, DrainProof::Metric);
        assert!(why.contains("not called"), "{why}");
    }

    #[test]
    fn auto_asks_pids_only_of_single_threaded_haproxy() {
        let (proof, _) = choose(ProofChoice::Auto, false, &[lb(1), lb(1)]).unwrap();
        assert_eq!(proof, DrainProof::Pids);
        let (proof, why) = choose(ProofChoice::Auto, false, &[lb(1), lb(2)]).unwrap();
        assert_eq!(proof.name(), "horizon");
        assert!(
            why.contains("marathon-lb at http://lb2:9090 runs 2 HAProxy threads: not calling /_haproxy_getpids"),
            "{why}"
        );
        assert!(matches!(proof, DrainProof::Horizon { auto: true, .. }));
    }

    #[test]
    fn an_unreadable_worker_is_never_taken_for_one_thread() {
        let mut unread = lb(1);
        unread.worker = Err("HTTP 503".into());
        let err = choose(ProofChoice::Auto, false, &[lb(1), unread]).unwrap_err();
        assert!(
            err.message.contains("http://lb1:9090 (HTTP 503)"),
            "{}",
            err.message
        );
        assert!(err.message.contains("nothing was changed"));
        assert!(!err.usage);
    }

    #[test]
    fn explicit_choices_are_honoured_and_say_their_risk() {
        let (proof, why) = choose(ProofChoice::Pids, false, &[lb(4)]).unwrap();
        assert_eq!(proof, DrainProof::Pids);
        assert!(
            why.contains("runs 4 HAProxy threads: each call forks"),
            "{why}"
        );
        let (proof, why) = choose(ProofChoice::Horizon, false, &[lb(1)]).unwrap();
        assert!(matches!(proof, DrainProof::Horizon { auto: false, .. }));
        assert!(why.contains("as asked"), "{why}");
        let err = choose(ProofChoice::Metric, false, &[lb(1)]).unwrap_err();
        assert!(err.usage && err.hint.contains("--drain-metric"), "{err:?}");
    }
}
