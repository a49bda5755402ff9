//! A deployment group's state, as its apps' labels and Marathon's
//! deployments tell it (pure: no I/O): the target instance count, the split
//! at rest, the service port and the phase. `dcos lb status` shows it and
//! a deploy, split or resume starts from it.

use serde::Serialize;

use crate::deploy::plan;
use crate::marathon::labels;
use crate::marathon::types::App;

/// Where a group stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// One app.
    Steady,
    /// Two apps at rest in a split whose instances add up to the target.
    Hybrid,
    /// Marathon is deploying one of its apps.
    Deploying,
    /// Two apps, no split at rest, nothing deploying: an interrupted deploy
    /// (finish it with `--resume`, or roll it back).
    Stuck,
}

impl Phase {
    /// The phase's name, as `dcos lb status` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Steady => "steady",
            Self::Hybrid => "hybrid",
            Self::Deploying => "deploying",
            Self::Stuck => "stuck",
        }
    }
}

/// The state of a group read from its apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupState {
    /// The target instances: the newest app's
    /// `HAPROXY_DEPLOYMENT_TARGET_INSTANCES`, else its instance count.
    pub target: u32,
    /// The newest app's `HAPROXY_DEPLOYMENT_NEW_INSTANCES` (a split when
    /// above 0), at most the target.
    pub new_instances: u32,
    /// The newest app's `HAPROXY_0_PORT` (0 when missing).
    pub port: u32,
    /// The phase.
    pub phase: Phase,
}

impl GroupState {
    /// The state of a group's apps in start order (the newest last);
    /// `None` when the group has no app.
    pub fn of(apps: &[&App]) -> Option<Self> {
        let newest = apps.last()?;
        let target = plan::label_u32(newest, labels::DEPLOYMENT_TARGET_INSTANCES)
            .unwrap_or(newest.instances);
        let new_instances = plan::label_u32(newest, labels::DEPLOYMENT_NEW_INSTANCES)
            .unwrap_or(0)
            .min(target);
        let instances: u32 = apps.iter().map(|a| a.instances).sum();
        let phase = if apps.iter().any(|a| !a.deployments.is_empty()) {
            Phase::Deploying
        } else if apps.len() == 1 {
            Phase::Steady
        } else if new_instances > 0 && instances == target {
            Phase::Hybrid
        } else {
            Phase::Stuck
        };
        Some(Self {
            target,
            new_instances,
            port: plan::label_u32(newest, labels::PORT_0).unwrap_or(0),
            phase,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::deploy::fixtures::running;
    use crate::marathon::types::DeploymentRef;

    /// A running app of the group with `labels` and no target label.
    fn app(id: &str, instances: u32, labels: &[(&str, &str)]) -> App {
        let mut app = running(id, "blue", 0, instances);
        app.labels.remove(labels::DEPLOYMENT_TARGET_INSTANCES);
        for (key, value) in labels {
            app.labels.insert((*key).into(), json!(value));
        }
        app
    }

    fn phase(apps: &[&App]) -> Phase {
        GroupState::of(apps).expect("apps").phase
    }

    #[test]
    fn phases_follow_the_apps_labels_and_deployments() {
        let target = (labels::DEPLOYMENT_TARGET_INSTANCES, "3");
        let blue = app("/web-blue", 3, &[]);
        assert_eq!(phase(&[&blue]), Phase::Steady);
        let hybrid = app(
            "/web-green",
            1,
            &[(labels::DEPLOYMENT_NEW_INSTANCES, "1"), target],
        );
        let two = app("/web-blue", 2, &[]);
        assert_eq!(phase(&[&two, &hybrid]), Phase::Hybrid);
        assert_eq!(phase(&[&blue, &hybrid]), Phase::Stuck, "4 instances for 3");
        let plain = app("/web-green", 1, &[target]);
        assert_eq!(phase(&[&blue, &plain]), Phase::Stuck);
        let mut deploying = plain.clone();
        deploying.deployments = vec![DeploymentRef { id: "d".into() }];
        assert_eq!(phase(&[&blue, &deploying]), Phase::Deploying);
        assert_eq!(GroupState::of(&[]), None);
    }

    #[test]
    fn the_newest_app_holds_the_target_split_and_port() {
        let old = app("/web-blue", 2, &[(labels::PORT_0, "10001")]);
        let new = app(
            "/web-green",
            1,
            &[
                (labels::DEPLOYMENT_TARGET_INSTANCES, "3"),
                (labels::DEPLOYMENT_NEW_INSTANCES, "7"),
            ],
        );
        let state = GroupState::of(&[&old, &new]).unwrap();
        assert_eq!(
            (state.target, state.new_instances, state.port),
            (3, 3, 10000),
            "the split is capped by the target"
        );
        let state = GroupState::of(&[&old]).unwrap();
        assert_eq!(
            (state.target, state.new_instances),
            (2, 0),
            "no label: its instances"
        );
    }
}
