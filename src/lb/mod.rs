//! marathon-lb's 9090 endpoints: the stats CSV ([`stats`], pure), fetching
//! it and the HAProxy pids from every instance ([`client`]), and finding the
//! instances ([`discover`]).

pub mod client;
pub mod discover;
pub mod stats;
