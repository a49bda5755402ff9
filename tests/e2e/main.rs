//! The end-to-end test binary: one binary for all end-to-end tests.

mod deploy;
mod sim;
mod split;
mod support;
