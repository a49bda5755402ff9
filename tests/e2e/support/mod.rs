//! Test support shared by the end-to-end tests.

pub mod marathon_sim;
