//! Test support shared by the end-to-end tests.

pub mod cmd;
pub mod component;
pub mod conformance;
pub mod harness;
pub mod lb_standin;
pub mod load;
pub mod marathon_sim;
pub mod tls;
pub mod tmux;
