//! DC/OS cluster access: which cluster and settings to use (`config`) and
//! how to authenticate against it (`auth`); `dcos.toml` errors are told
//! without its secrets (`toml_error`).

pub mod auth;
pub mod config;
mod toml_error;
