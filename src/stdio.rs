//! Writing to standard output when it may be non-blocking.
//!
//! Inside Node (the addon's `runCli`), stdout is the same pipe Node writes to, and once Node has
//! written to a pipe it makes it non-blocking. A large write then stops with `WouldBlock` while
//! the reader catches up; waiting and going on is what a blocking write would have done.

use std::io::{ErrorKind, Write};
use std::time::Duration;

/// Writes all of `bytes`, waiting whenever the pipe is full, then flushes.
///
/// # Errors
/// Any error of the writer other than `WouldBlock` and `Interrupted`.
pub fn write_all(out: &mut impl Write, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match out.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(written) => bytes = &bytes[written..],
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    loop {
        match out.flush() {
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(1));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes three bytes at a time and refuses every other call, as a full
    /// non-blocking pipe does.
    struct Choking {
        taken: Vec<u8>,
        refuse: bool,
    }

    impl Write for Choking {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.refuse = !self.refuse;
            if self.refuse {
                return Err(ErrorKind::WouldBlock.into());
            }
            let n = bytes.len().min(3);
            self.taken.extend_from_slice(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_pipe_is_waited_for_not_an_error() {
        let mut out = Choking { taken: Vec::new(), refuse: false };
        write_all(&mut out, b"every byte arrives").unwrap();
        assert_eq!(out.taken, b"every byte arrives");
    }
}
