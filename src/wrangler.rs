//! The user's own wrangler: where a project has it installed, and how to run it.
//!
//! atom-sage never ships or replaces wrangler. It runs the one the project depends on, so the
//! version the team pinned is the version that deploys.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// Set when atom-sage runs inside Node (the addon): Node owns the signal handlers there, and
/// installing others beside them makes a signal loop between the two, so children are left to
/// what the terminal sends their process group. The package's bin starts wrangler from Node
/// instead, which passes signals on.
pub static INSIDE_NODE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The name of wrangler's launcher in `node_modules/.bin`.
const LAUNCHER: &str = if cfg!(windows) { "wrangler.cmd" } else { "wrangler" };

/// Where the wrangler to run was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrangler {
    /// `node_modules/.bin/wrangler` in the project or one of its parents, as npm scripts see it.
    Project(PathBuf),
    /// A `wrangler` on `PATH`.
    Path(PathBuf),
}

impl Wrangler {
    /// The launcher to execute.
    #[must_use]
    pub fn program(&self) -> &Path {
        match self {
            Self::Project(path) | Self::Path(path) => path,
        }
    }

    /// Runs it with `args`, sharing this process's standard streams, and waits for it.
    ///
    /// # Errors
    /// When the launcher cannot be started.
    ///
    /// SIGINT, SIGTERM and SIGHUP sent to this process while wrangler runs are passed on to it,
    /// and this process waits for wrangler to end, so stopping atom-sage stops the deploy too
    /// and the exit code is wrangler's.
    pub fn run(&self, directory: &Path, args: &[OsString]) -> std::io::Result<ExitStatus> {
        let mut command = Command::new(self.program());
        command.args(args).current_dir(directory);
        share_standard_streams(&mut command);
        let (mut child, forwarding) = spawn_forwarding_signals(&mut command)?;
        let status = child.wait();
        drop(forwarding);
        status
    }
}

/// Starts `command` and passes SIGINT, SIGTERM and SIGHUP on to it until the second value is
/// dropped (except inside Node, see [`INSIDE_NODE`], and where there are no such signals). The
/// handlers are in place before the child starts, so a signal that comes at once is not lost.
///
/// # Errors
/// When the command cannot be started.
pub fn spawn_forwarding_signals(
    command: &mut Command,
) -> std::io::Result<(std::process::Child, Option<impl Drop + use<>>)> {
    #[cfg(unix)]
    {
        let signals = if INSIDE_NODE.load(std::sync::atomic::Ordering::Relaxed) {
            None
        } else {
            signals::catch()
        };
        let child = command.spawn()?;
        let forwarding = signals.map(|signals| signals::forward_to(signals, &child));
        Ok((child, forwarding))
    }
    #[cfg(not(unix))]
    {
        Ok((command.spawn()?, None::<std::sync::Arc<()>>))
    }
}

#[cfg(unix)]
mod signals {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

    /// Passes the signals on while alive; stops when dropped.
    pub struct Forwarding {
        handle: signal_hook::iterator::Handle,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    /// Catches SIGINT, SIGTERM and SIGHUP from now on. `None` when the handlers cannot be
    /// installed; a child then only gets what the terminal sends its process group.
    pub fn catch() -> Option<signal_hook::iterator::Signals> {
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            .inspect_err(
                |error| tracing::warn!(%error, "signals will not be passed on to wrangler"),
            )
            .ok()
    }

    /// Passes the caught signals, those already pending included, on to `child`.
    pub fn forward_to(
        mut signals: signal_hook::iterator::Signals,
        child: &std::process::Child,
    ) -> Forwarding {
        let handle = signals.handle();
        let pid = rustix::process::Pid::from_child(child);
        let thread = std::thread::spawn(move || {
            for number in signals.forever() {
                let signal = match number {
                    SIGINT => rustix::process::Signal::INT,
                    SIGTERM => rustix::process::Signal::TERM,
                    _ => rustix::process::Signal::HUP,
                };
                tracing::debug!(signal = number, "passing a signal on to wrangler");
                // The child may have ended in the meantime; then there is nobody to tell.
                let _ = rustix::process::kill_process(pid, signal);
            }
        });
        Forwarding { handle, thread: Some(thread) }
    }

    impl Drop for Forwarding {
        fn drop(&mut self) {
            self.handle.close();
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

/// Hands this process's stdin, stdout and stderr to a child explicitly.
///
/// Inheriting them is not enough inside Node: Node marks its standard streams close-on-exec, so
/// a child started from the addon would find them closed and print nothing. Duplicates, which the
/// child receives as its own 0, 1 and 2, survive the exec.
/// A stream that cannot be duplicated (closed) is left to plain inheritance.
pub fn share_standard_streams(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd as _;
        if let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() {
            command.stdin(fd);
        }
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            command.stdout(fd);
        }
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            command.stderr(fd);
        }
    }
    #[cfg(not(unix))]
    let _ = command;
}

/// Finds the wrangler a project uses: the nearest `node_modules/.bin/wrangler` from `directory`
/// upward, else one on `PATH`. `None` when there is neither; nothing is downloaded.
#[must_use]
pub fn locate(directory: &Path) -> Option<Wrangler> {
    let start = std::path::absolute(directory).unwrap_or_else(|_| directory.to_owned());
    for dir in start.ancestors() {
        let launcher = dir.join("node_modules").join(".bin").join(LAUNCHER);
        if launcher.is_file() {
            return Some(Wrangler::Project(launcher));
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(LAUNCHER))
        .find(|candidate| candidate.is_file())
        .map(Wrangler::Path)
}

/// The exit code a shell reports for a finished child: its own code, or 128 plus the signal that
/// ended it.
#[must_use]
pub fn exit_code(status: ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(signal) = status.signal() {
            return u8::try_from(128 + signal).unwrap_or(1);
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_project_install_wins() {
        let root = tempfile::tempdir().unwrap();
        let bin = root.path().join("node_modules/.bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join(LAUNCHER), "").unwrap();
        let nested = root.path().join("apps/api/src");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(locate(&nested), Some(Wrangler::Project(bin.join(LAUNCHER))));
    }
}
