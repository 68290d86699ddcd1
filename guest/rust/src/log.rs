//! Logging to the host's debug log (fd 1 and 2). Never part of the proven result.

/// A `core::fmt::Write` sink for fd 1 (stdout) or fd 2 (stderr).
pub struct Log {
    fd: u32,
}

impl Log {
    pub fn stdout() -> Self {
        Log { fd: 1 }
    }
    pub fn stderr() -> Self {
        Log { fd: 2 }
    }
}

impl core::fmt::Write for Log {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        if !s.is_empty() {
            crate::sys::write(self.fd, s.as_bytes());
        }
        Ok(())
    }
}

#[doc(hidden)]
pub fn print_to(fd: u32, args: core::fmt::Arguments) {
    use core::fmt::Write;
    let mut log = Log { fd };
    let _ = log.write_fmt(args);
}

/// Like std's `print!`: to the host's stdout log.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::log::print_to(1, format_args!($($arg)*)) };
}

/// Like std's `println!`: to the host's stdout log.
#[macro_export]
macro_rules! println {
    () => { $crate::log::print_to(1, format_args!("\n")) };
    ($($arg:tt)*) => { $crate::log::print_to(1, format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like std's `eprintln!`: to the host's stderr log.
#[macro_export]
macro_rules! eprintln {
    () => { $crate::log::print_to(2, format_args!("\n")) };
    ($($arg:tt)*) => { $crate::log::print_to(2, format_args!("{}\n", format_args!($($arg)*))) };
}
