//! Zero-downtime blue/green and canary deploys through marathon-lb:
//! the pure state machine ([`machine`]) and helpers ([`plan`]), the events it
//! reports ([`event`]), reading `--drain-metric` ([`metric`]) and the small
//! I/O loop that runs it ([`driver`]), and how a kill is proven safe ([`proof`]).

pub mod analysis;
pub mod drain;
pub mod driver;
pub mod event;
#[cfg(test)]
mod fixtures;
pub mod group;
pub mod machine;
pub mod merge;
pub mod metric;
pub mod plan;
pub mod proof;
#[cfg(test)]
mod rendered;
pub mod rollout;
pub mod stop;
