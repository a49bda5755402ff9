//! The end-to-end tests: one test binary, one module per area.

mod plugin;
mod sim;
mod support;
