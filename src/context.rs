//! Resolved settings for one run: the global flags and the environment,
//! turned into clients on first use (so offline commands need no cluster).

use crate::cli::GlobalArgs;
use crate::env::Env;

/// Everything a command needs from outside: flags, environment, clients.
#[derive(Debug)]
pub struct Context {
    global: GlobalArgs,
    env: Env,
}

impl Context {
    /// A context over parsed global flags and an environment snapshot.
    pub fn new(global: GlobalArgs, env: Env) -> Self {
        Self { global, env }
    }

    /// The global flags.
    pub fn global(&self) -> &GlobalArgs {
        &self.global
    }

    /// The environment snapshot.
    pub fn env(&self) -> &Env {
        &self.env
    }
}
