//! The end-to-end test binary: one binary for all end-to-end tests.

mod sim;
mod support;
