//! The end-to-end tests: one test binary, one module per area.

mod architecture;
mod auth;
mod bad_input;
mod config;
mod deploy;
mod deploy_input;
mod drain_proof;
mod errors;
mod hooks;
mod interactive;
mod lint;
mod manual;
mod plugin;
mod progressive;
mod render_cli;
mod render_lib;
mod sandbox;
mod sim;
mod split;
mod standin;
mod status;
mod support;
mod tls;
