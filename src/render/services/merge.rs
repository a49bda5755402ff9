//! marathon-lb's deployment-group merge inside `get_apps`: apps that share
//! `HAPROXY_DEPLOYMENT_GROUP` become one app, the new one's settings with
//! both apps' tasks, the old one's servers marked draining as the rules in
//! [`crate::render::rules`] decide. Pure: no I/O.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{MergedApp, bad_field, bad_label, labels_of, missing, task_alive, task_list};
use crate::render::RenderError;
use crate::render::dates::Date;
use crate::render::model::App;
use crate::render::rules::{self, DateField, GroupMember, Listed, MergeError};

/// Merges apps sharing `HAPROXY_DEPLOYMENT_GROUP` (blue/green deploys):
/// apps without a group in input order, then one merged app per group in
/// order of first appearance.
pub(crate) fn merge_deployment_groups<'a>(
    apps: &'a [Box<App<'a>>],
    today: Option<Date>,
) -> Result<Vec<MergedApp<'a>>, RenderError> {
    let mut plain = Vec::with_capacity(apps.len());
    let mut groups: Vec<MergedApp<'_>> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for app in apps {
        let id = app.id.as_deref().ok_or_else(|| missing("?", "id"))?;
        let labels = labels_of(app, id)?;
        let Some(group) = labels.get("HAPROXY_DEPLOYMENT_GROUP") else {
            plain.push(MergedApp {
                app,
                id: Cow::Borrowed(id),
                tasks: task_list(app),
            });
            continue;
        };
        if group.is_empty() {
            return Err(bad_label(
                id,
                "HAPROXY_DEPLOYMENT_GROUP",
                group,
                "must not be empty",
            ));
        }
        let gid = rules::group_app_id(group);
        let cur = MergedApp {
            app,
            id: Cow::Owned(gid.clone()),
            tasks: task_list(app),
        };
        match group_index.get(&gid) {
            Some(&i) => {
                let prev = std::mem::replace(
                    &mut groups[i],
                    MergedApp {
                        app,
                        id: Cow::Borrowed(""),
                        tasks: None,
                    },
                );
                groups[i] = merge_pair(prev, cur, today)?;
            }
            None => {
                group_index.insert(gid, groups.len());
                groups.push(cur);
            }
        }
    }
    plain.extend(groups);
    Ok(plain)
}

fn instances(m: &MergedApp<'_>) -> Result<i64, RenderError> {
    m.app
        .instances
        .ok_or_else(|| missing(&m.id, "instances"))?
        .ok_or_else(|| bad_field(&m.id, "instances", "not an integer"))
}

/// What the merge rule reads from a merged app.
fn group_member<'a>(m: &MergedApp<'a>) -> Result<GroupMember<'a>, RenderError> {
    let labels = labels_of(m.app, &m.id)?;
    Ok(GroupMember {
        started_at: labels.get("HAPROXY_DEPLOYMENT_STARTED_AT"),
        has_new_instances: labels.get("HAPROXY_DEPLOYMENT_NEW_INSTANCES").is_some(),
        target_instances: labels.get("HAPROXY_DEPLOYMENT_TARGET_INSTANCES"),
        last_scaling_at: m
            .app
            .version_info
            .as_ref()
            .and_then(|vi| vi.last_scaling_at.as_deref()),
        has_health_checks: m.app.health_checks.as_ref().is_some_and(|h| !h.is_empty()),
    })
}

/// marathon-lb's error for a merge rule's refusal, on the app it names.
fn merge_error(e: MergeError, earlier: &str, later: &str) -> RenderError {
    let id = |side: Listed| match side {
        Listed::Earlier => earlier,
        Listed::Later => later,
    };
    let field_name = |field: DateField| match field {
        DateField::StartedAt => "labels.HAPROXY_DEPLOYMENT_STARTED_AT",
        DateField::LastScalingAt => "versionInfo.lastScalingAt",
    };
    match e {
        MergeError::BadDate {
            app,
            field: DateField::StartedAt,
            value,
            why,
        } => bad_label(
            id(app),
            "HAPROXY_DEPLOYMENT_STARTED_AT",
            &value,
            format!("not a date dateutil reads: {why}"),
        ),
        MergeError::BadDate {
            app,
            field: DateField::LastScalingAt,
            value,
            why,
        } => bad_field(
            id(app),
            "versionInfo.lastScalingAt",
            format!("{value:?} is not a date dateutil reads: {why}"),
        ),
        MergeError::Incomparable { app, field } => bad_field(
            id(app),
            field_name(field),
            "cannot compare a date with a time zone to one without (or to a missing one)",
        ),
        MergeError::NoLastScalingAt { app } => missing(id(app), "versionInfo.lastScalingAt"),
        MergeError::NoTargetInstances { app } => {
            missing(id(app), "labels.HAPROXY_DEPLOYMENT_TARGET_INSTANCES")
        }
        MergeError::BadTargetInstances { app, value, why } => {
            bad_label(id(app), "HAPROXY_DEPLOYMENT_TARGET_INSTANCES", &value, why)
        }
    }
}

/// Merges the next app of a deployment group (`cur`) into the one stored so
/// far (`prev`), marking the old app's first tasks (by id) as draining, by
/// the rules of [`rules::pick_new`] and [`rules::drain_count`].
fn merge_pair<'a>(
    prev: MergedApp<'a>,
    cur: MergedApp<'a>,
    today: Option<Date>,
) -> Result<MergedApp<'a>, RenderError> {
    let picked = rules::pick_new(&group_member(&prev)?, &group_member(&cur)?, today)
        .map_err(|e| merge_error(e, &prev.id, &cur.id))?;
    let (mut old, mut new) = match picked.new {
        Listed::Later => (prev, cur),
        Listed::Earlier => (cur, prev),
    };
    let mut old_tasks = old.tasks.take().ok_or_else(|| missing(&old.id, "tasks"))?;
    for (t, _) in &old_tasks {
        if t.id.is_none() {
            return Err(missing(&old.id, "tasks[].id"));
        }
    }
    old_tasks.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let new_tasks = new.tasks.take().ok_or_else(|| missing(&new.id, "tasks"))?;
    let healthy_new = if picked.counts_live_tasks {
        let mut n = 0;
        for (t, _) in &new_tasks {
            n += i64::from(task_alive(t, &new.id)? == Some(true));
        }
        n
    } else {
        instances(&new)?
    };
    let drain = rules::drain_count(
        old_tasks.len(),
        healthy_new,
        instances(&old)?,
        picked.target_instances,
    );
    for task in old_tasks.iter_mut().take(drain) {
        task.1 = true;
    }
    old_tasks.extend(new_tasks);
    Ok(MergedApp {
        app: old.app,
        id: old.id,
        tasks: Some(old_tasks),
    })
}
