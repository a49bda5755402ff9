//! Wall time of `dcos lb deploy`, `split` and `promote` against the Marathon
//! simulator (real task processes, real time: 1 s health-check interval)
//! and one marathon-lb stand-in on real HAProxy, 5 instances whose process
//! takes 1 s to listen, next to the floor the world allows: per step of the new app, from its tasks' staging
//! to their first passing health check and the HAProxy reload that lists
//! them. Each scenario runs under load through HAProxy (half the clients on
//! a new connection per request, half on keep-alive connections), and the
//! bench prints its failed requests and the HAProxy reloads it caused
//! beside the wall times. The stand-in runs marathon-lb's own head at
//! HAProxy's default threads; the deploys prove drain with the tasks'
//! open-connection gauge (`--drain-proof metric`, no fork). zdd.py's figures
//! on a comparable setup are printed alongside.
//!
//! `cargo bench --locked --profile dev --bench deploy`

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../tests/e2e/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;

use support::harness::{DRAIN_BY_CONNECTIONS, Harness};

const LIMIT: Duration = Duration::from_secs(120);
const INSTANCES: u32 = 5;

/// When one task was staged and first passed its health check (ms since
/// the epoch, the simulator's clock).
#[derive(Debug, Clone, Copy)]
struct TaskTimes {
    staged: u64,
    healthy: Option<u64>,
}

/// Milliseconds since the epoch of Marathon's ISO date (`…T12:34:56.789Z`).
fn iso_millis(iso: &str) -> Option<u64> {
    let (date, time) = iso.trim_end_matches('Z').split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, ms) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|p| p.parse::<u64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1000) + ms.parse::<u64>().ok()?)
}

fn millis(t: SystemTime) -> u64 {
    u64::try_from(t.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

/// Samples every task of the group's apps every 50 ms while a run lasts:
/// killed tasks vanish from the simulator, their times stay here.
fn record_tasks(h: &Harness, stop: &AtomicBool) -> BTreeMap<String, TaskTimes> {
    let mut seen = BTreeMap::new();
    while !stop.load(Ordering::SeqCst) {
        for app in ["/web-blue", "/web-green"] {
            for task in h.sim.tasks(app) {
                let Some(staged) = task["stagedAt"].as_str().and_then(iso_millis) else {
                    continue;
                };
                let healthy = task["healthCheckResults"][0]["firstSuccess"]
                    .as_str()
                    .and_then(iso_millis);
                seen.insert(
                    task["id"].as_str().unwrap_or_default().to_string(),
                    TaskTimes { staged, healthy },
                );
            }
        }
        thread::sleep(Duration::from_millis(50));
    }
    seen
}

/// One measured run.
struct Figure {
    name: String,
    wall: Duration,
    floor: Duration,
    steps: usize,
    reloads: usize,
    requests: u64,
    failed: u64,
    zdd: &'static str,
}

/// Runs `dcos-lb ARGS` to its end and measures it against the floor; with
/// `load`, under load through HAProxy (a first deploy has nothing to serve
/// until it ends).
fn measure(h: &Harness, name: &str, args: &[&str], zdd: &'static str) -> Figure {
    measure_with(h, name, args, zdd, true)
}

fn measure_with(h: &Harness, name: &str, args: &[&str], zdd: &'static str, load: bool) -> Figure {
    let stop = AtomicBool::new(false);
    let started = SystemTime::now();
    let reloads_before = h.lbs[0].reloads();
    let load = load.then(|| h.load());
    let (wall, tasks) = thread::scope(|scope| {
        let recorder = scope.spawn(|| record_tasks(h, &stop));
        let t0 = Instant::now();
        let (code, stderr) = h.run(args, LIMIT);
        let wall = t0.elapsed();
        stop.store(true, Ordering::SeqCst);
        assert_eq!(code, 0, "{name}: {stderr}");
        (wall, recorder.join().unwrap())
    });
    let counts = load.map(support::load::Load::stop).unwrap_or_default();
    let reloads: Vec<u64> = h.lbs[0]
        .reload_times
        .lock()
        .unwrap()
        .iter()
        .map(|t| millis(*t))
        .collect();
    let (floor, steps) = floor(&tasks, millis(started), &reloads);
    Figure {
        name: name.into(),
        wall,
        floor,
        steps,
        reloads: h.lbs[0].reloads() - reloads_before,
        requests: counts.ok + counts.failed,
        failed: counts.failed,
        zdd,
    }
}

/// The tasks staged during the run, in batches (one per scale step, staged
/// within 300 ms of each other); each batch costs from its first staging to
/// the first HAProxy reload after its last first-healthy.
fn floor(tasks: &BTreeMap<String, TaskTimes>, since: u64, reloads: &[u64]) -> (Duration, usize) {
    let mut started: Vec<TaskTimes> = tasks
        .values()
        .filter(|t| t.staged >= since)
        .copied()
        .collect();
    started.sort_by_key(|t| t.staged);
    let mut batches: Vec<Vec<TaskTimes>> = Vec::new();
    for task in started {
        match batches.last_mut() {
            Some(batch) if task.staged - batch[0].staged <= 300 => batch.push(task),
            _ => batches.push(vec![task]),
        }
    }
    let total = batches
        .iter()
        .filter_map(|batch| {
            let healthy = batch
                .iter()
                .map(|t| t.healthy)
                .collect::<Option<Vec<u64>>>()?;
            let healthy = *healthy.iter().max()?;
            let listed = reloads.iter().copied().find(|r| *r >= healthy)?;
            Some(listed - batch[0].staged)
        })
        .sum();
    (Duration::from_millis(total), batches.len())
}

fn main() {
    let mut h = Harness::with_time_scale(1, 1.0);
    h.deploy_flags = std::iter::once("-f")
        .chain(DRAIN_BY_CONNECTIONS)
        .map(String::from)
        .collect();
    let app = |version: &str| {
        h.app_file(version, INSTANCES, json!({"TASK_START_DELAY_MS": "1000"}))
            .to_str()
            .unwrap()
            .to_string()
    };
    let (v1, v2, v3, v4, v5) = (app("v1"), app("v2"), app("v3"), app("v4"), app("v5"));
    let figures = [
        measure_with(
            &h,
            "first deploy (no load)",
            &["deploy", &v1],
            "returns before healthy",
            false,
        ),
        measure(
            &h,
            "blue→green, +50 % steps, -s 5",
            &["deploy", &v2],
            "46 s (-s 5); about 9 reloads",
        ),
        measure(
            &h,
            "green→blue, +50 % steps, -s 1",
            &["deploy", &v3, "-s", "1"],
            "29 s (-s 1); about 9 reloads",
        ),
        measure(&h, "blue→green, --surge", &["deploy", &v4, "--surge"], "-"),
        measure(
            &h,
            "split --new-instances 2",
            &["split", &v5, "-n", "2"],
            "315 s",
        ),
        measure(
            &h,
            "complete-cur (promote)",
            &["promote", &h.group],
            "308 s",
        ),
    ];
    assert_eq!(
        h.apps(),
        [(String::from("/web-blue"), u64::from(INSTANCES))],
        "the group ends on blue"
    );
    println!(
        "\ndcos lb deploy, {INSTANCES} instances, 1 s health checks, 1 marathon-lb (real HAProxy)"
    );
    println!(
        "{:<34} {:>8} {:>8} {:>6} {:>8} {:>8} {:>16}  zdd.py",
        "scenario", "wall s", "floor s", "steps", "overhead", "reloads", "failed/requests"
    );
    for f in &figures {
        println!(
            "{:<34} {:>8.1} {:>8.1} {:>6} {:>7.0}% {:>8} {:>16}  {}",
            f.name,
            f.wall.as_secs_f64(),
            f.floor.as_secs_f64(),
            f.steps,
            (f.wall.as_secs_f64() / f.floor.as_secs_f64().max(0.001) - 1.0) * 100.0,
            f.reloads,
            format!("{}/{}", f.failed, f.requests),
            f.zdd
        );
    }
    println!("HAProxy reloads in all: {}", h.lbs[0].reloads());
}
