//! The end-to-end test binary: one binary for all end-to-end tests.

mod auth;
mod config;
mod errors;
mod manual;
mod sim;
mod support;
