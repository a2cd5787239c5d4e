//! `atom-sage wrangler ARGS…`: runs the project's own wrangler with `ARGS`, and with `--validate`
//! runs every check first and deploys only when none fails.
//!
//! wrangler has no plugin hook and refuses flags it does not know, so the flag is taken out here
//! and everything else reaches wrangler exactly as written. Commands other than a deploy pass
//! through untouched, which is what lets a shell alias or an npm script send every wrangler call
//! through this one.

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::render::Format;
use crate::{Options, Project, check_project};

/// The wrangler commands that upload a Worker, and so the ones `--validate` applies to.
const DEPLOYING: &[&[&str]] = &[&["deploy"], &["versions", "upload"]];

/// wrangler's global options that take a value, so that value is not read as the command.
/// yargs also takes a short alias with two dashes (`--c`, `--e`), so wrangler does too.
const VALUE_FLAGS: &[&str] =
    &["-c", "--c", "--config", "--cwd", "-e", "--e", "--env", "--env-file"];

/// What the arguments say, once `--validate` and `--no-validate` are taken out.
#[derive(Debug, PartialEq, Eq)]
struct Invocation {
    /// Whether to check before running wrangler; the last of the two flags wins.
    validate: bool,
    /// The arguments for wrangler.
    forward: Vec<OsString>,
    /// The command words, e.g. `["versions", "upload"]`.
    command: Vec<String>,
    /// `--env`, when given.
    env: Option<String>,
    /// `--config`, when given.
    config: Option<PathBuf>,
    /// `--cwd`, when given.
    cwd: Option<PathBuf>,
}

fn parse(args: Vec<OsString>) -> Invocation {
    let mut invocation = Invocation {
        validate: false,
        forward: Vec::with_capacity(args.len()),
        command: Vec::new(),
        env: None,
        config: None,
        cwd: None,
    };
    let mut words_done = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        // After `--` everything belongs to wrangler (or the script it runs), untouched.
        if text == "--" {
            invocation.forward.push(arg);
            invocation.forward.extend(args.by_ref());
            break;
        }
        match text.as_str() {
            "--validate" | "--validate=true" => {
                invocation.validate = true;
                continue;
            }
            "--no-validate" | "--validate=false" => {
                invocation.validate = false;
                continue;
            }
            _ => {}
        }
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (text.clone(), None),
        };
        invocation.forward.push(arg);
        if VALUE_FLAGS.contains(&flag.as_str()) {
            let value = match inline {
                Some(value) => Some(value),
                None => args.next().map(|value| {
                    let text = value.to_string_lossy().into_owned();
                    invocation.forward.push(value);
                    text
                }),
            };
            match flag.as_str() {
                "-e" | "--e" | "--env" => invocation.env = value,
                "-c" | "--c" | "--config" => invocation.config = value.map(PathBuf::from),
                "--cwd" => invocation.cwd = value.map(PathBuf::from),
                _ => {}
            }
        } else if text.starts_with('-') {
            // The command is the run of words before the first of its own options.
            words_done |= !invocation.command.is_empty();
        } else if !words_done && invocation.command.len() < 2 {
            invocation.command.push(text);
        }
    }
    invocation
}

impl Invocation {
    fn deploys(&self) -> bool {
        DEPLOYING.iter().any(|words| {
            words.len() <= self.command.len()
                && words.iter().zip(&self.command).all(|(word, given)| word == given)
        })
    }
}

/// What `atom-sage wrangler` decided: stop with an exit code, or run the project's wrangler.
#[derive(Debug)]
pub enum Plan {
    /// The checks failed: exit with this code.
    Stop(u8),
    /// Run `program` with `args` in `directory`.
    Run {
        /// wrangler's launcher.
        program: PathBuf,
        /// The arguments, `--validate` and `--no-validate` taken out.
        args: Vec<OsString>,
        /// Where to run it: the current directory (wrangler reads `--cwd` itself).
        directory: PathBuf,
    },
}

/// Runs `atom-sage wrangler` with the arguments after `wrangler`.
///
/// # Errors
/// When the checks cannot run, no wrangler is found, or it cannot be started.
pub fn run(args: Vec<OsString>) -> anyhow::Result<u8> {
    match plan(args)? {
        Plan::Stop(code) => Ok(code),
        Plan::Run { program, args, directory } => {
            let wrangler = crate::wrangler::Wrangler::Project(program);
            let status = wrangler
                .run(&directory, &args)
                .with_context(|| format!("starting {}", wrangler.program().display()))?;
            Ok(crate::wrangler::exit_code(status))
        }
    }
}

/// Validates when asked and finds the wrangler to run. The npm package's bin runs it from Node
/// itself, where passing signals on goes through Node's own handlers.
///
/// # Errors
/// When `--validate` is given for a command that does not deploy, the checks cannot run, or no
/// wrangler is found.
pub fn plan(args: Vec<OsString>) -> anyhow::Result<Plan> {
    let invocation = parse(args);
    let here = std::env::current_dir().context("reading the current directory")?;
    let directory = invocation.cwd.as_ref().map_or_else(|| here.clone(), |cwd| here.join(cwd));
    // Help is wrangler's to print, whatever else the line says.
    let help = invocation
        .forward
        .iter()
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == "--help" || arg == "-h");
    if invocation.validate && !help {
        if !invocation.deploys() {
            let command = if invocation.command.is_empty() {
                "wrangler without a command".to_owned()
            } else {
                format!("`wrangler {}`", invocation.command.join(" "))
            };
            bail!(
                "--validate applies to `wrangler deploy` and `wrangler versions upload`, not {command}"
            );
        }
        if let Some(code) = validate(&invocation, &directory)? {
            return Ok(Plan::Stop(code));
        }
    }
    let Some(wrangler) = crate::wrangler::locate(&directory) else {
        bail!(
            "no wrangler found: not in node_modules/.bin of {} or its parents, nor on PATH; install it in the project with `npm install --save-dev wrangler`",
            directory.display()
        );
    };
    tracing::debug!(wrangler = %wrangler.program().display(), "running the project's wrangler");
    Ok(Plan::Run {
        program: wrangler.program().to_owned(),
        args: invocation.forward,
        directory: here,
    })
}

/// Checks the project the deploy would upload; returns the exit code when the deploy must stop.
fn validate(invocation: &Invocation, directory: &Path) -> anyhow::Result<Option<u8>> {
    // What wrangler deploys: `--env`, else CLOUDFLARE_ENV, else the top level (`--env=""` names
    // it too). Only that is checked, so other environments' mistakes do not block this deploy.
    let env =
        invocation.env.clone().or_else(|| std::env::var("CLOUDFLARE_ENV").ok()).unwrap_or_default();
    let path =
        invocation.config.as_ref().map_or_else(|| directory.to_owned(), |c| directory.join(c));
    let project = Project::load(&path)?;
    let report =
        check_project(&project, &Options { env: Some(env.clone()), ..Options::default() })?;
    let format = if super::in_github_actions() { Format::Github } else { Format::Pretty };
    // The report goes to stderr: wrangler's own output is what scripts read from stdout.
    eprint!("{}", super::report_text(&project, &report, format, std::io::stderr().is_terminal()));
    if report.fails(false) {
        eprintln!(
            "atom-sage: not deploying{}: {} error{} above. Fix them, or pass --no-validate to deploy anyway.",
            if env.is_empty() { String::new() } else { format!(" to {env}") },
            report.summary.errors,
            if report.summary.errors == 1 { "" } else { "s" },
        );
        return Ok(Some(1));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<OsString> {
        text.split_whitespace().map(OsString::from).collect()
    }

    fn forwarded(invocation: &Invocation) -> String {
        let words: Vec<_> = invocation.forward.iter().map(|a| a.to_string_lossy()).collect();
        words.join(" ")
    }

    #[test]
    fn the_flag_is_taken_out_and_everything_else_kept_in_order() {
        let invocation = parse(args("deploy --validate -e production --minify --var A:1"));
        assert!(invocation.validate);
        assert_eq!(forwarded(&invocation), "deploy -e production --minify --var A:1");
        assert_eq!(invocation.command, ["deploy"]);
        assert_eq!(invocation.env.as_deref(), Some("production"));
    }

    #[test]
    fn the_last_of_validate_and_no_validate_wins() {
        assert!(!parse(args("deploy --validate --no-validate")).validate);
        assert!(parse(args("deploy --no-validate --validate=true")).validate);
        assert!(!parse(args("deploy")).validate);
    }

    #[test]
    fn values_of_global_flags_are_not_commands() {
        let invocation =
            parse(args("--config wrangler.staging.toml --env=staging versions upload"));
        assert_eq!(invocation.command, ["versions", "upload"]);
        assert!(invocation.deploys());
        assert_eq!(invocation.config, Some(PathBuf::from("wrangler.staging.toml")));
        assert_eq!(invocation.env.as_deref(), Some("staging"));
        let invocation = parse(args("--cwd apps/api deploy"));
        assert_eq!(invocation.cwd, Some(PathBuf::from("apps/api")));
        assert!(invocation.deploys());
    }

    #[test]
    fn the_two_dash_short_aliases_wrangler_takes_are_read_too() {
        let invocation = parse(args("deploy --validate --c broken.toml --e=production"));
        assert_eq!(invocation.config, Some(PathBuf::from("broken.toml")));
        assert_eq!(invocation.env.as_deref(), Some("production"));
        assert_eq!(forwarded(&invocation), "deploy --c broken.toml --e=production");
    }

    #[test]
    fn arguments_after_the_separator_are_never_read() {
        let invocation = parse(args("d1 execute DB -- --validate --env x"));
        assert!(!invocation.validate);
        assert_eq!(invocation.env, None);
        assert_eq!(forwarded(&invocation), "d1 execute DB -- --validate --env x");
    }

    #[test]
    fn only_uploads_are_deploys() {
        assert!(!parse(args("dev")).deploys());
        assert!(!parse(args("versions list")).deploys());
        assert!(!parse(args("deployments list")).deploys());
    }
}
