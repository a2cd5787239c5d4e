//! `atom-sage deploy` and `atom-sage rollback`: the parts they are made of.
//!
//! A deploy checks the project (and the account), records a rollback point, writes a `started`
//! entry to the trail, runs the project's own wrangler, verifies the result with the health
//! checks of the settings, rolls back when they fail, and records the outcome. The CLI
//! (`src/cli/deploy.rs`) strings these together and does the printing.

pub mod api;
pub mod point;
pub mod rollback;
pub mod verify;

use std::ffi::OsString;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

pub use api::{ActiveDeployment, BindingName, Workers};
pub use point::{Retention, RollbackPoint};

use crate::wrangler::Wrangler;

/// Runs `wrangler ARGS` in `directory`: stdin and stderr are shared, stdout is copied to this
/// process's stdout as it comes and kept, so the caller can read what wrangler said.
///
/// # Errors
/// When wrangler cannot be started or its output cannot be read.
pub fn run_teed(
    wrangler: &Wrangler,
    directory: &Path,
    args: &[OsString],
) -> std::io::Result<(ExitStatus, String)> {
    let mut command = Command::new(wrangler.program());
    command.args(args).current_dir(directory);
    crate::wrangler::share_standard_streams(&mut command);
    command.stdout(Stdio::piped());
    // Stopping atom-sage stops wrangler too, and atom-sage lives on to record the outcome.
    let (mut child, forwarding) = crate::wrangler::spawn_forwarding_signals(&mut command)?;
    let mut pipe = child.stdout.take().expect("stdout is piped");
    let mut kept = Vec::new();
    let mut buffer = [0u8; 8192];
    let mut stdout = std::io::stdout();
    loop {
        let read = match pipe.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        kept.extend_from_slice(&buffer[..read]);
        // A closed stdout (`atom-sage deploy | head`) must not stop the deploy halfway.
        let _ = stdout.write_all(&buffer[..read]).and_then(|()| stdout.flush());
    }
    let status = child.wait()?;
    drop(forwarding);
    Ok((status, String::from_utf8_lossy(&kept).into_owned()))
}

/// The version id wrangler printed after `Current Version ID:`; `None` when it printed none.
#[must_use]
pub fn version_id_in(output: &str) -> Option<String> {
    output.lines().find_map(|line| {
        let id = line.trim().strip_prefix("Current Version ID:")?.trim();
        let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        valid.then(|| id.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_id_is_read_from_wrangler_output() {
        let output = "Uploaded notes-api-staging (1.2 sec)\nDeployed notes-api-staging triggers (0.5 sec)\n  staging-api.example.com/*\nCurrent Version ID: 3f2c9a10-1b2c-4d5e-8f90-0a1b2c3d4e5f\n";
        assert_eq!(version_id_in(output).as_deref(), Some("3f2c9a10-1b2c-4d5e-8f90-0a1b2c3d4e5f"));
        assert_eq!(version_id_in("Current Version ID: <none>\n"), None);
        assert_eq!(version_id_in("Uploaded x\n"), None);
    }
}
