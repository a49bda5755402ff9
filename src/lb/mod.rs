//! marathon-lb's 9090 endpoints: the stats CSV ([`stats`], pure), the
//! serving worker from the stats page ([`worker`], pure), how long an older
//! worker may still send requests ([`horizon`], pure, from the running
//! config), fetching them and the HAProxy pids from every instance
//! ([`client`]), and finding the instances ([`discover`]).

pub mod client;
pub mod discover;
pub mod horizon;
pub mod stats;
pub mod worker;
