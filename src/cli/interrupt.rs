//! Ctrl-C for commands that run several machines one after another (a step
//! plan runs one deploy per step): the process has one handler, installed
//! once, and it calls whatever the running part last asked for.

use std::sync::{Mutex, OnceLock, PoisonError};

type Callback = Box<dyn Fn() + Send>;

fn current() -> &'static Mutex<Option<Callback>> {
    static CURRENT: OnceLock<Mutex<Option<Callback>>> = OnceLock::new();
    CURRENT.get_or_init(|| Mutex::new(None))
}

/// From now on, Ctrl-C (and SIGTERM) calls `callback`, replacing the last.
pub fn on_interrupt(callback: impl Fn() + Send + 'static) -> Result<(), ctrlc::Error> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            if let Some(callback) = current()
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_ref()
            {
                callback();
            }
        })
        .map_err(|e| e.to_string())
    });
    if let Err(e) = installed {
        return Err(ctrlc::Error::System(std::io::Error::other(e.clone())));
    }
    *current().lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(callback));
    Ok(())
}
