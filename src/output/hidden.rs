//! Reading a password on the controlling terminal without echo (Unix).
//!
//! rpassword does the line editing (backspace, Ctrl-U, Ctrl-W, escape
//! sequences); this module owns the terminal mode. On Ctrl-C rpassword
//! raises SIGINT *before* it restores the terminal, so an interrupted prompt
//! left the user's terminal without echo. Here the mode is restored as soon
//! as Ctrl-C is read, before rpassword passes the interrupt on, and on every
//! other way out.

use std::fs::File;
use std::io::{self, Read, Write};

use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex, Termios};

/// The byte Ctrl-C sends when the terminal does not turn it into SIGINT.
const CTRL_C: u8 = 0x03;

/// `/dev/tty` switched to unechoed, unbuffered input without signal keys;
/// the saved mode comes back on Ctrl-C or on drop, whichever is first.
struct HiddenTerminal {
    tty: File,
    saved: Option<Termios>,
}

impl HiddenTerminal {
    fn open() -> io::Result<Self> {
        let tty = File::options().read(true).write(true).open("/dev/tty")?;
        let saved = termios::tcgetattr(&tty)?;
        let mut hidden = saved.clone();
        hidden
            .local_modes
            .remove(LocalModes::ECHO | LocalModes::ECHONL | LocalModes::ICANON | LocalModes::ISIG);
        hidden.special_codes[SpecialCodeIndex::VMIN] = 1;
        hidden.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios::tcsetattr(&tty, OptionalActions::Now, &hidden)?;
        Ok(Self {
            tty,
            saved: Some(saved),
        })
    }

    fn restore(&mut self) {
        if let Some(saved) = self.saved.take() {
            let _ = termios::tcsetattr(&self.tty, OptionalActions::Now, &saved);
        }
    }
}

impl Read for HiddenTerminal {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.tty.read(buf)?;
        if buf[..read].contains(&CTRL_C) {
            self.restore();
            // End the prompt's line before the interrupt ends the process.
            let _ = self.tty.write_all(b"\n");
        }
        Ok(read)
    }
}

impl Drop for HiddenTerminal {
    fn drop(&mut self) {
        self.restore();
    }
}

/// Reads one line from the terminal without showing it (not even as `*`).
pub fn read_line() -> io::Result<String> {
    let config = rpassword::ConfigBuilder::new()
        .input_reader(HiddenTerminal::open()?)
        .password_feedback_hide()
        .output_discard()
        .build();
    rpassword::read_password_with_config(config)
}
