//! DC/OS cluster access: which cluster and settings to use (`config`) and
//! how to authenticate against it (`auth`).

pub mod auth;
pub mod config;
