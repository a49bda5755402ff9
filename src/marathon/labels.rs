//! Label keys that marathon-lb and zdd.py read and write, spelled exactly as
//! marathon-lb spells them (pure: constants only).

/// Pairs the blue and green apps of one service; becomes the HAProxy app name.
pub const DEPLOYMENT_GROUP: &str = "HAPROXY_DEPLOYMENT_GROUP";
/// The service port the next colour uses.
pub const DEPLOYMENT_ALT_PORT: &str = "HAPROXY_DEPLOYMENT_ALT_PORT";
/// `blue` or `green`.
pub const DEPLOYMENT_COLOUR: &str = "HAPROXY_DEPLOYMENT_COLOUR";
/// When the deploy started; marathon-lb picks the newer app by it.
pub const DEPLOYMENT_STARTED_AT: &str = "HAPROXY_DEPLOYMENT_STARTED_AT";
/// The instance count the deploy ends at.
pub const DEPLOYMENT_TARGET_INSTANCES: &str = "HAPROXY_DEPLOYMENT_TARGET_INSTANCES";
/// New instances in a hybrid (canary) deploy; `"0"` otherwise.
pub const DEPLOYMENT_NEW_INSTANCES: &str = "HAPROXY_DEPLOYMENT_NEW_INSTANCES";
/// The app id before the colour suffix.
pub const APP_ID: &str = "HAPROXY_APP_ID";
/// The original service port of port index 0.
pub const PORT_0: &str = "HAPROXY_0_PORT";
/// The marathon-lb groups an app belongs to.
pub const GROUP: &str = "HAPROXY_GROUP";
