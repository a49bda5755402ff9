//! marathon-lb's rules that the other commands must agree with: the backend
//! and server names it writes, which app of a deployment group it calls new,
//! how many of the old app's tasks it drains, and the order of a group's apps.
//!
//! Pure functions over plain inputs. The renderer applies them to build the
//! configuration; deploy, status and lint ask them what marathon-lb will do,
//! so a deploy can never wait for a drain that the rendered config would not
//! show. Where zdd.py differs (it compares dates as text and trims `/`
//! differently), these follow marathon-lb: its configuration is what serves
//! the traffic.

use std::cmp::Ordering;
use std::fmt::{Display, Write as _};

use super::dates::{Date, Stamp};
use super::names::push_sanitized;
use super::pyfmt::py_int;

/// The app id marathon-lb gives the merged app of a deployment group: the
/// label's value with a `/` in front unless it has one.
pub fn group_app_id(group: &str) -> String {
    if group.starts_with('/') {
        group.to_string()
    } else {
        format!("/{group}")
    }
}

/// Appends the HAProxy backend name of an app's service port: the app id
/// without its first character (the `/`), every other `/` turned into `_`,
/// then `_<port>`.
pub fn push_backend_name(out: &mut String, app_id: &str, service_port: impl Display) {
    push_app_path(out, app_id);
    let _ = write!(out, "_{service_port}");
}

/// The HAProxy backend name of an app's service port (see
/// [`push_backend_name`]).
pub fn backend_name(app_id: &str, service_port: impl Display) -> String {
    let mut out = String::with_capacity(app_id.len() + 6);
    push_backend_name(&mut out, app_id, service_port);
    out
}

/// The backend name of a deployment group's service port.
pub fn group_backend_name(group: &str, service_port: impl Display) -> String {
    backend_name(&group_app_id(group), service_port)
}

/// Appends the app id without its first character, `/` replaced by `_`.
pub(crate) fn push_app_path(out: &mut String, app_id: &str) {
    let mut chars = app_id.chars();
    chars.next();
    out.extend(chars.map(|c| if c == '/' { '_' } else { c }));
}

/// Appends the name of a task's server: `host_ip_port` when the task's host
/// is a name (it differs from the address HAProxy connects to), else
/// `ip_port`, every character outside `[A-Za-z0-9-]` turned into `_`.
pub fn push_server_name(out: &mut String, host: &str, ip: &str, port: impl Display) {
    if host != ip {
        push_sanitized(out, host);
        out.push('_');
    }
    push_sanitized(out, ip);
    let _ = write!(out, "_{port}");
}

/// The name of a task's server (see [`push_server_name`]).
pub fn server_name(host: &str, ip: &str, port: impl Display) -> String {
    let mut out = String::new();
    push_server_name(&mut out, host, ip, port);
    out
}

/// Where an app of a two-app merge stands in Marathon's list of apps: the
/// merge reads some things from the app listed later, whichever is new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    /// The app met first (for a group of three or more: the merge so far).
    Earlier,
    /// The app met next.
    Later,
}

impl Listed {
    /// The other one.
    pub fn other(self) -> Listed {
        match self {
            Listed::Earlier => Listed::Later,
            Listed::Later => Listed::Earlier,
        }
    }
}

/// What the merge reads from one app of a deployment group, as Marathon
/// reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupMember<'a> {
    /// Label `HAPROXY_DEPLOYMENT_STARTED_AT`, if set.
    pub started_at: Option<&'a str>,
    /// Whether label `HAPROXY_DEPLOYMENT_NEW_INSTANCES` is set (any value).
    pub has_new_instances: bool,
    /// Label `HAPROXY_DEPLOYMENT_TARGET_INSTANCES`, if set.
    pub target_instances: Option<&'a str>,
    /// `versionInfo.lastScalingAt`, if Marathon reported it.
    pub last_scaling_at: Option<&'a str>,
    /// Whether the app has health checks.
    pub has_health_checks: bool,
}

/// A date field the merge reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateField {
    /// Label `HAPROXY_DEPLOYMENT_STARTED_AT`.
    StartedAt,
    /// `versionInfo.lastScalingAt`.
    LastScalingAt,
}

/// Why marathon-lb cannot merge two apps of a group (it raises, and keeps
/// serving its last configuration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// A date dateutil does not read.
    BadDate {
        /// Whose.
        app: Listed,
        /// Which.
        field: DateField,
        /// The text.
        value: String,
        /// Why dateutil refuses it.
        why: String,
    },
    /// A date with a time zone against one without (or a missing one).
    Incomparable {
        /// The app the error is reported on.
        app: Listed,
        /// Which dates.
        field: DateField,
    },
    /// `versionInfo.lastScalingAt` is missing.
    NoLastScalingAt {
        /// Whose.
        app: Listed,
    },
    /// The new app has no `HAPROXY_DEPLOYMENT_TARGET_INSTANCES`.
    NoTargetInstances {
        /// Whose.
        app: Listed,
    },
    /// `HAPROXY_DEPLOYMENT_TARGET_INSTANCES` is not an integer.
    BadTargetInstances {
        /// Whose.
        app: Listed,
        /// The label's value.
        value: String,
        /// Why Python's `int()` refuses it.
        why: &'static str,
    },
}

/// Which app of two marathon-lb calls new, and the target it drains toward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Picked {
    /// The app marathon-lb calls new; the other is old and gets drained.
    pub new: Listed,
    /// The new app's `HAPROXY_DEPLOYMENT_TARGET_INSTANCES` (saturated), or
    /// 1 when it has no `HAPROXY_DEPLOYMENT_NEW_INSTANCES`.
    pub target_instances: i128,
    /// How the new app's healthy instances are counted: `true`, by its tasks
    /// with a live health-check result; `false`, by its `instances`.
    /// marathon-lb decides by the health checks of the app listed *later*
    /// (its loop's current app), whichever of the two is new.
    pub counts_live_tasks: bool,
}

/// marathon-lb's choice of the new app: the later deployment start (a
/// missing one is the earliest date; a tie makes the earlier-listed app
/// new), then, when the new app carries `HAPROXY_DEPLOYMENT_NEW_INSTANCES`,
/// the app scaled last. Dates are read as dateutil reads them, on `today`.
pub fn pick_new(
    earlier: &GroupMember<'_>,
    later: &GroupMember<'_>,
    today: Option<Date>,
) -> Result<Picked, MergeError> {
    let member = |side: Listed| match side {
        Listed::Earlier => earlier,
        Listed::Later => later,
    };
    let started = |side: Listed| -> Result<Stamp, MergeError> {
        match member(side).started_at {
            None => Ok(Stamp::MIN),
            Some(v) => parse(v, side, DateField::StartedAt, today),
        }
    };
    let earlier_start = started(Listed::Earlier)?;
    let later_start = started(Listed::Later)?;
    let order = earlier_start
        .compare(&later_start)
        .ok_or(MergeError::Incomparable {
            app: Listed::Later,
            field: DateField::StartedAt,
        })?;
    let mut new = if order == Ordering::Less {
        Listed::Later
    } else {
        Listed::Earlier
    };
    if !member(new).has_new_instances {
        return Ok(Picked {
            new,
            target_instances: 1,
            counts_live_tasks: later.has_health_checks,
        });
    }
    let scaled = |side: Listed| -> Result<Stamp, MergeError> {
        let v = member(side)
            .last_scaling_at
            .ok_or(MergeError::NoLastScalingAt { app: side })?;
        parse(v, side, DateField::LastScalingAt, today)
    };
    let new_scale = scaled(new)?;
    let old_scale = scaled(new.other())?;
    let later_scaled = old_scale
        .compare(&new_scale)
        .ok_or(MergeError::Incomparable {
            app: new,
            field: DateField::LastScalingAt,
        })?;
    if later_scaled == Ordering::Greater {
        new = new.other();
    }
    let value = member(new)
        .target_instances
        .ok_or(MergeError::NoTargetInstances { app: new })?;
    let target = py_int(value).map_err(|why| MergeError::BadTargetInstances {
        app: new,
        value: value.to_string(),
        why,
    })?;
    Ok(Picked {
        new,
        target_instances: target.saturating_i128(),
        counts_live_tasks: later.has_health_checks,
    })
}

fn parse(
    value: &str,
    app: Listed,
    field: DateField,
    today: Option<Date>,
) -> Result<Stamp, MergeError> {
    Stamp::parse(value, today).map_err(|why| MergeError::BadDate {
        app,
        field,
        value: value.to_string(),
        why,
    })
}

/// How many of the old app's tasks marathon-lb drains (renders `disabled`):
/// as many as the new app has healthy instances, no more than the old app's
/// tasks, and no more than would leave fewer than the target up. The drained
/// ones are the first by task id.
pub fn drain_count(old_tasks: usize, healthy_new: i64, old_instances: i64, target: i128) -> usize {
    let drainable = (i128::from(healthy_new) + i128::from(old_instances))
        .saturating_sub(target)
        .max(0);
    let drain = (old_tasks as i128)
        .min(i128::from(healthy_new))
        .min(drainable)
        .max(0);
    usize::try_from(drain).unwrap_or(0)
}

/// The order of a group's apps, oldest deployment first: by
/// `HAPROXY_DEPLOYMENT_STARTED_AT` as marathon-lb reads the dates (a missing
/// one first), as text where marathon-lb could not compare them, then by id.
pub fn deployment_order(a: (Option<&str>, &str), b: (Option<&str>, &str)) -> Ordering {
    let stamp = |s: Option<&str>| match s {
        None => Some(Stamp::MIN),
        Some(v) => Stamp::parse(v, None).ok(),
    };
    let by_date = match (stamp(a.0), stamp(b.0)) {
        (Some(x), Some(y)) => x.compare(&y),
        _ => None,
    };
    by_date
        .unwrap_or_else(|| a.0.unwrap_or("").cmp(b.0.unwrap_or("")))
        .then_with(|| a.1.cmp(b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member<'a>(started: Option<&'a str>) -> GroupMember<'a> {
        GroupMember {
            started_at: started,
            ..GroupMember::default()
        }
    }

    #[test]
    fn names_follow_marathon_lb() {
        assert_eq!(group_backend_name("web", 10000), "web_10000");
        assert_eq!(group_backend_name("/prod/web", 10000), "prod_web_10000");
        // Only the first character goes: zdd.py's trimming would say `x_80`.
        assert_eq!(group_backend_name("//x", 80), "_x_80");
        assert_eq!(server_name("10.0.0.1", "10.0.0.1", 31000), "10_0_0_1_31000");
        assert_eq!(
            server_name("agent-1.dc", "10.0.0.1", 31000),
            "agent-1_dc_10_0_0_1_31000"
        );
    }

    #[test]
    fn later_start_is_new_and_a_tie_keeps_the_earlier_listed() {
        let old = member(Some("2024-01-01T00:00:00"));
        let new = member(Some("2024-01-02T00:00:00"));
        assert_eq!(pick_new(&old, &new, None).unwrap().new, Listed::Later);
        assert_eq!(pick_new(&new, &old, None).unwrap().new, Listed::Earlier);
        assert_eq!(pick_new(&old, &old, None).unwrap().new, Listed::Earlier);
        assert_eq!(
            pick_new(&member(None), &old, None).unwrap().new,
            Listed::Later
        );
    }

    #[test]
    fn dates_compare_as_instants_not_as_text() {
        // As text the first is later; as instants it is an hour earlier.
        let a = member(Some("2024-01-02T10:00:00+02:00"));
        let b = member(Some("2024-01-02T09:00:00+00:00"));
        assert_eq!(pick_new(&a, &b, None).unwrap().new, Listed::Later);
        let naive = member(Some("2024-01-02T09:00:00"));
        assert_eq!(
            pick_new(&a, &naive, None),
            Err(MergeError::Incomparable {
                app: Listed::Later,
                field: DateField::StartedAt
            })
        );
    }

    #[test]
    fn with_new_instances_the_app_scaled_last_is_new() {
        let old = GroupMember {
            started_at: Some("2024-01-01T00:00:00Z"),
            last_scaling_at: Some("2024-01-03T00:00:00Z"),
            target_instances: Some("4"),
            has_new_instances: true,
            has_health_checks: false,
        };
        let new = GroupMember {
            started_at: Some("2024-01-02T00:00:00Z"),
            last_scaling_at: Some("2024-01-02T00:00:00Z"),
            target_instances: Some("5"),
            has_new_instances: true,
            has_health_checks: true,
        };
        let picked = pick_new(&old, &new, None).unwrap();
        assert_eq!(picked.new, Listed::Earlier);
        assert_eq!(picked.target_instances, 4);
        // The later-listed app's checks decide, though it is the old one.
        assert!(picked.counts_live_tasks);
        let missing = GroupMember {
            target_instances: None,
            ..old
        };
        assert_eq!(
            pick_new(&missing, &new, None),
            Err(MergeError::NoTargetInstances {
                app: Listed::Earlier
            })
        );
    }

    #[test]
    fn drains_no_more_than_capacity_allows() {
        assert_eq!(drain_count(3, 2, 3, 3), 2);
        assert_eq!(drain_count(3, 3, 3, 3), 3);
        assert_eq!(drain_count(3, 1, 3, 4), 0);
        assert_eq!(drain_count(1, 5, 1, 1), 1);
        assert_eq!(drain_count(3, 0, 3, -5), 0);
    }

    #[test]
    fn deployment_order_reads_dates() {
        let order = deployment_order(
            (Some("2024-01-02T10:00:00+02:00"), "/a"),
            (Some("2024-01-02T09:00:00+00:00"), "/b"),
        );
        assert_eq!(order, Ordering::Less);
        assert_eq!(
            deployment_order((None, "/b"), (Some("2024-01-01T00:00:00"), "/a")),
            Ordering::Less
        );
        assert_eq!(deployment_order((None, "/a"), (None, "/b")), Ordering::Less);
    }
}
