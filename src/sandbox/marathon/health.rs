//! Health checks, actually probed: every `intervalSeconds` (scaled) each
//! running task is checked over HTTP (`HTTP`, `MESOS_HTTP`, `HTTPS` treated as
//! HTTP: status 200–399 is alive) or TCP (`TCP`, `MESOS_TCP`: the port accepts).
//! Failures within `gracePeriodSeconds` before the first success are ignored;
//! after `maxConsecutiveFailures` failures the task is killed and replaced.
//! Results fill `healthCheckResults`; changes emit `health_status_changed_event`.

use super::app::HealthCheck;
use super::clock;
use super::engine::{Ctx, State, TaskState};
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// One check to run, taken from the state under the lock and run without it.
pub struct Probe {
    task_id: String,
    index: usize,
    check: HealthCheck,
    port: u16,
}

/// The checks due now; schedules their next run.
pub fn due(state: &mut State, ctx: &Ctx) -> Vec<Probe> {
    let now = Instant::now();
    let mut out = Vec::new();
    for task in state
        .tasks
        .values_mut()
        .filter(|t| t.state == TaskState::Running)
    {
        for (index, check) in task.checks.iter().enumerate() {
            if task.next_probe.get(index).is_none_or(|at| now < *at) {
                continue;
            }
            task.next_probe[index] = now + ctx.scaled(check.interval_seconds);
            let port = check
                .port
                .or_else(|| task.ports.get(check.port_index).copied())
                .unwrap_or(task.listen_port);
            out.push(Probe {
                task_id: task.id.clone(),
                index,
                check: check.clone(),
                port,
            });
        }
    }
    out
}

/// Runs a probe: `Ok` when alive, else the failure cause.
pub fn run(probe: &Probe, ctx: &Ctx) -> Result<(), String> {
    let timeout = ctx
        .scaled(probe.check.timeout_seconds)
        .max(Duration::from_millis(50));
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, probe.port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    if !probe.check.protocol.contains("HTTP") {
        return Ok(());
    }
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        probe.check.path, probe.port
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut status_line = String::new();
    BufReader::new(stream)
        .read_line(&mut status_line)
        .map_err(|e| e.to_string())?;
    let code: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if (200..400).contains(&code) {
        Ok(())
    } else {
        Err(format!("Got status code {code}"))
    }
}

/// Records a probe's outcome, emits events, and kills the task after too many failures.
pub fn apply(state: &mut State, ctx: &Ctx, probe: &Probe, outcome: Result<(), String>) {
    let Some(task) = state.tasks.get_mut(&probe.task_id) else {
        return;
    };
    if task.state != TaskState::Running {
        return;
    }
    let now = clock::now_millis();
    let previous = task.health[probe.index].clone();
    let in_grace = task
        .running_since
        .is_some_and(|since| since.elapsed() < ctx.scaled(probe.check.grace_seconds));
    let mut result = previous.clone().unwrap_or_default();
    match outcome {
        Ok(()) => {
            result.alive = true;
            result.consecutive_failures = 0;
            result.first_success.get_or_insert(now);
            result.last_success = Some(now);
        }
        Err(_) if in_grace && result.first_success.is_none() => return,
        Err(cause) => {
            result.alive = false;
            result.consecutive_failures += 1;
            result.last_failure = Some(now);
            result.last_failure_cause = Some(cause);
        }
    }
    task.health[probe.index] = Some(result.clone());
    let (app_id, task_id, instance_id) = (
        task.app_id.clone(),
        task.id.clone(),
        task.instance_id.clone(),
    );
    let version = clock::iso(task.version);
    if previous.as_ref().map(|r| r.alive) != Some(result.alive) {
        ctx.events.publish(
            "health_status_changed_event",
            json!({ "appId": app_id, "taskId": task_id, "instanceId": instance_id, "version": version, "alive": result.alive }),
        );
    }
    if result.alive {
        return;
    }
    ctx.events.publish(
        "failed_health_check_event",
        json!({ "appId": app_id, "taskId": task_id, "instanceId": instance_id, "healthCheck": { "protocol": probe.check.protocol } }),
    );
    let max = probe.check.max_consecutive_failures;
    if max > 0 && result.consecutive_failures >= max {
        ctx.events.publish(
            "unhealthy_task_kill_event",
            json!({
                "appId": app_id, "taskId": task_id, "instanceId": instance_id, "version": version,
                "reason": result.last_failure_cause, "host": super::engine::HOST, "slaveId": null,
            }),
        );
        state.kill(ctx, &task_id);
    }
}
