//! dcos-lb library.

pub mod render;
