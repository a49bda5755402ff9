//! Test support shared by the end-to-end tests.

pub mod cmd;
pub mod component;
pub mod conformance;
pub mod harness;
pub mod keys;
pub mod tls;
pub mod tmux;

// The stand-ins live in the library, shared with `dcos lb sandbox`.
pub use dcos_lb::sandbox::lb as lb_standin;
pub use dcos_lb::sandbox::load;
pub use dcos_lb::sandbox::marathon as marathon_sim;
