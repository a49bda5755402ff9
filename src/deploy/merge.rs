//! marathon-lb's view of a deployment group's two apps (render-spec §3),
//! by the renderer's rules: which one it calls new and how many old tasks
//! it drains. The deploy checks each hop against it before killing tasks.

use crate::marathon::labels;
use crate::marathon::types::App;
use crate::render::rules;

/// marathon-lb's view of two apps of one group (render-spec §3): which one
/// it calls new, and how many of the old one's tasks it drains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeView {
    /// The id marathon-lb treats as new.
    pub new: String,
    /// The id marathon-lb treats as old.
    pub old: String,
    /// How many old tasks it renders `disabled`.
    pub draining: u32,
}

/// What the merge rule reads from an app.
fn group_member(app: &App) -> rules::GroupMember<'_> {
    rules::GroupMember {
        started_at: app.label(labels::DEPLOYMENT_STARTED_AT),
        has_new_instances: app.labels.contains_key(labels::DEPLOYMENT_NEW_INSTANCES),
        target_instances: app.label(labels::DEPLOYMENT_TARGET_INSTANCES),
        last_scaling_at: app.version_info.last_scaling_at.as_deref(),
        has_health_checks: !app.health_checks.is_empty(),
    }
}

/// [`MergeView`] of two apps of a group, given in the order Marathon lists
/// them, by the renderer's rules; the rule's refusal when marathon-lb could
/// not merge them (it then keeps serving its last configuration).
pub fn merge_view(earlier: &App, later: &App) -> Result<MergeView, rules::MergeError> {
    let picked = rules::pick_new(&group_member(earlier), &group_member(later), None)?;
    let (old, new) = match picked.new {
        rules::Listed::Later => (earlier, later),
        rules::Listed::Earlier => (later, earlier),
    };
    let healthy_new = if picked.counts_live_tasks {
        new.tasks
            .iter()
            .filter(|t| t.health_check_results.iter().any(|r| r.alive))
            .count() as i64
    } else {
        i64::from(new.instances)
    };
    let draining = rules::drain_count(
        old.tasks.len(),
        healthy_new,
        i64::from(old.instances),
        picked.target_instances,
    );
    Ok(MergeView {
        new: new.id.clone(),
        old: old.id.clone(),
        draining: u32::try_from(draining).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::deploy::fixtures::{running, task};
    use crate::marathon::types::{Task, VersionInfo};

    #[test]
    fn merge_view_follows_marathon_lb() {
        let mut blue = running("/web-blue", "blue", 10000, 3);
        blue.tasks = vec![
            task("b1", 1, Some(true)),
            task("b2", 2, Some(true)),
            task("b3", 3, Some(true)),
        ];
        blue.health_checks = vec![json!({"protocol": "HTTP"})];
        blue.labels
            .insert(labels::DEPLOYMENT_NEW_INSTANCES.into(), json!("0"));
        let mut green = running("/web-green", "green", 10001, 2);
        green.labels.insert(
            labels::DEPLOYMENT_STARTED_AT.into(),
            json!("2024-02-01T00:00:00"),
        );
        green
            .labels
            .insert(labels::DEPLOYMENT_TARGET_INSTANCES.into(), json!("3"));
        green
            .labels
            .insert(labels::DEPLOYMENT_NEW_INSTANCES.into(), json!("0"));
        green.health_checks = blue.health_checks.clone();
        green.tasks = vec![task("g1", 4, Some(true)), task("g2", 5, None)];
        green.version_info = VersionInfo {
            last_scaling_at: Some("2024-02-01T00:00:05Z".into()),
            ..Default::default()
        };
        blue.version_info = VersionInfo {
            last_scaling_at: Some("2024-01-01T00:00:00Z".into()),
            ..Default::default()
        };
        let view = merge_view(&blue, &green).unwrap();
        assert_eq!((view.new.as_str(), view.draining), ("/web-green", 1));
        blue.version_info.last_scaling_at = Some("2024-02-01T00:00:09Z".into());
        let swapped = merge_view(&blue, &green).unwrap();
        assert_eq!(swapped.new, "/web-blue", "the app scaled last is new");
    }

    /// The ports of the servers marathon-lb's config disables when
    /// Marathon lists `earlier` then `later`, by the byte-exact renderer.
    fn rendered_drain(earlier: &App, later: &App) -> Vec<u32> {
        crate::deploy::rendered::servers(&[earlier, later], false)
            .into_iter()
            .filter(|s| s.disabled)
            .map(|s| s.addr.rsplit(':').next().unwrap().parse().unwrap())
            .collect()
    }

    /// The ports [`merge_view`] says marathon-lb disables.
    fn viewed_drain(earlier: &App, later: &App) -> Vec<u32> {
        let view = merge_view(earlier, later).unwrap();
        let old = if view.old == earlier.id {
            earlier
        } else {
            later
        };
        let mut tasks: Vec<&Task> = old.tasks.iter().collect();
        tasks.sort_by(|a, b| a.id.cmp(&b.id));
        tasks
            .iter()
            .take(view.draining as usize)
            .map(|t| t.ports[0])
            .collect()
    }

    fn group_app(id: &str, started: &str, ports: &[u32], checks: bool) -> App {
        let mut app = running(id, "blue", 10000, ports.len() as u32);
        for (k, v) in [
            (labels::DEPLOYMENT_GROUP, "web"),
            (labels::GROUP, "external"),
            (labels::DEPLOYMENT_STARTED_AT, started),
        ] {
            app.labels.insert(k.into(), json!(v));
        }
        app.port_definitions = vec![json!({"port": 10000, "protocol": "tcp"})];
        if checks {
            app.health_checks = vec![json!({"protocol": "HTTP", "path": "/"})];
        }
        app.tasks = ports
            .iter()
            .map(|p| task(&format!("{id}.{p}"), *p, checks.then_some(true)))
            .collect();
        app
    }

    #[test]
    fn merge_view_agrees_with_the_renderer_where_the_old_copy_did_not() {
        // The new app has no health checks and Marathon lists it first: the
        // renderer counts its live tasks by the *later* app's checks (none
        // live), so nothing drains; the old copy read the new app's checks.
        let green = group_app("/web-green", "2024-01-02T00:00:00", &[2, 3], false);
        let blue = group_app("/web-blue", "2024-01-01T00:00:00", &[4, 5], true);
        assert_eq!(rendered_drain(&green, &blue), Vec::<u32>::new());
        assert_eq!(viewed_drain(&green, &blue), rendered_drain(&green, &blue));
        assert_eq!(viewed_drain(&blue, &green), rendered_drain(&blue, &green));
        // Dates with offsets order as instants: green started an hour after
        // blue, though as text it sorts first.
        let blue = group_app("/web-blue", "2024-01-02T10:00:00+02:00", &[4, 5], true);
        let green = group_app("/web-green", "2024-01-02T09:00:00+00:00", &[2, 3], true);
        assert_eq!(merge_view(&blue, &green).unwrap().new, "/web-green");
        assert_eq!(rendered_drain(&blue, &green), vec![4, 5]);
        assert_eq!(viewed_drain(&blue, &green), rendered_drain(&blue, &green));
        assert_eq!(viewed_drain(&green, &blue), rendered_drain(&green, &blue));
    }
}
