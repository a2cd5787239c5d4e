//! Command-line arguments and what each command does with them.

mod atom;
mod deploy;
mod diff;
mod rollback;
mod trail;
pub mod wrangler;

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context as _, bail};

use crate::remote::{RemoteOptions, gather};
use crate::render::{Format, RenderContext, render};
use crate::{CheckError, Options, Project, check_project, check_project_with};
use clap::{Parser, Subcommand, ValueEnum};

/// Catches the mistakes that make a Cloudflare Workers deploy fail after it "succeeded".
#[derive(Parser)]
#[command(name = "atom-sage", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// More logging on stderr (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check a Workers project: the config, every environment, the migrations.
    Check(CheckArgs),
    /// List every check with its code, severity and summary.
    Rules,
    /// Show the documentation of a check, by code or name.
    Explain {
        /// The check's code (e.g. KV001) or name (e.g. invalid-kv-namespace-id).
        code: String,
    },
    /// Validate, record a rollback point, deploy with wrangler, verify, roll back on failure.
    Deploy(deploy::DeployArgs),
    /// Return a worker to a recorded version.
    Rollback(rollback::RollbackArgs),
    /// Compare two environments side by side: bindings, vars, secrets, routes, runtime.
    Diff(diff::DiffArgs),
    /// Read, verify and export the audit trail in .atom-sage/trail.jsonl.
    Trail {
        #[command(subcommand)]
        command: trail::TrailCommand,
    },
    /// Run the project's own wrangler; with `deploy --validate`, check first and stop on errors.
    #[command(disable_help_flag = true)]
    Wrangler {
        /// wrangler's arguments, passed on as written (less `--validate` and `--no-validate`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Serve the JSON-RPC 2.0 protocol (docs/protocol.md), one message a line.
    Serve {
        /// Read requests from stdin and answer on stdout; logs go to stderr.
        #[arg(long, required = true)]
        stdio: bool,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The project directory (the config is searched from here upward) or a config file.
    #[arg(conflicts_with = "config")]
    path: Option<PathBuf>,
    /// Use this config file instead of searching for one.
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Check only the top level and this environment (default: every environment; `""`: the top
    /// level alone).
    #[arg(short, long, value_name = "NAME")]
    env: Option<String>,
    /// Output format; `github` is the default when `GITHUB_ACTIONS=true`.
    #[arg(short, long, value_enum)]
    format: Option<OutputFormat>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Check the Cloudflare account as well: `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_API_KEY`
    /// and `CLOUDFLARE_EMAIL`), `CLOUDFLARE_ACCOUNT_ID` or the config's `account_id`.
    #[arg(long)]
    remote: bool,
    /// With --remote: an account check that could not be made is an error (exit 1).
    #[arg(long, requires = "remote")]
    require_remote: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Pretty,
    Concise,
    Json,
    Sarif,
    Github,
}

/// Runs the command line with `args` (the program name first) and returns the exit code: 0
/// clean, 1 findings, 2 the tool could not do its job. Both the `atom-sage` binary and the npm
/// package's bin call this.
pub fn main<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    // Everything after `wrangler` is wrangler's, `--help` and `-v` included, so clap never sees it.
    if args.get(1).is_some_and(|command| command == "wrangler") {
        start_logging(0, false);
        return finish(wrangler::run(args[2..].to_vec()));
    }
    match Cli::try_parse_from(args) {
        Ok(cli) => finish(run(cli)),
        Err(error) => usage(&error),
    }
}

/// Decides what `atom-sage wrangler ARGS` does without running wrangler: the checks run (their
/// report printed) and either an exit code comes back, or the wrangler to run and its
/// arguments. A failure of the tool is printed and comes back as exit code 2.
///
/// # Errors
/// The exit code to end with instead of running wrangler.
pub fn wrangler_plan(args: Vec<std::ffi::OsString>) -> Result<wrangler::Plan, u8> {
    start_logging(0, false);
    match wrangler::plan(args) {
        Ok(wrangler::Plan::Stop(code)) => Err(code),
        Ok(plan) => Ok(plan),
        Err(error) => Err(finish(Err(error))),
    }
}

/// Runs the `atom` command line (an intent: `atom CHECK "…"`) with `args`, the program name
/// first, and returns the exit code as [`main`] does.
pub fn atom_main<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match atom::AtomCli::try_parse_from(args) {
        Ok(cli) => finish(atom::run(&cli)),
        Err(error) => usage(&error),
    }
}

/// Prints what clap says about the arguments: `--help` and `--version` exit 0, mistakes 2.
fn usage(error: &clap::Error) -> u8 {
    let _ = error.print();
    if error.use_stderr() { 2 } else { 0 }
}

/// The exit code of a command; a failure of the tool itself is printed with its causes, exit 2.
fn finish(outcome: anyhow::Result<u8>) -> u8 {
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            2
        }
    }
}

/// Runs a parsed command; errors are the tool failing (exit 2).
fn run(cli: Cli) -> anyhow::Result<u8> {
    start_logging(cli.verbose, cli.quiet);
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules => {
            let mut out = String::new();
            for rule in crate::checks::rules() {
                let _ = writeln!(
                    out,
                    "{:<7} {:<36} {:<15} {:<8} {}",
                    rule.code,
                    rule.name,
                    rule.service.as_str(),
                    rule.severity.as_str(),
                    rule.summary
                );
            }
            print(&out)?;
            Ok(0)
        }
        Command::Explain { code } => {
            let Some(rule) = crate::checks::find_rule(&code) else {
                bail!("no check has the code or name `{code}`; `atom-sage rules` lists them");
            };
            print(&format!(
                "# {} {}\n\n{}\n\nService: {}. Default severity: {}.\n\n{}",
                rule.code,
                rule.name,
                rule.summary,
                rule.service.as_str(),
                rule.severity.as_str(),
                rule.docs
            ))?;
            Ok(0)
        }
        Command::Deploy(args) => deploy::deploy(&args.request()),
        Command::Rollback(args) => rollback::rollback(&args.request()),
        Command::Diff(args) => diff::run(&args),
        Command::Trail { command } => trail::run(&command),
        Command::Serve { stdio: _ } => {
            crate::protocol::serve(std::io::stdin().lock(), std::io::stdout().lock())
                .context("serving on stdio")?;
            Ok(0)
        }
        Command::Wrangler { args } => wrangler::run(args),
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<u8> {
    let github = in_github_actions();
    let format = match args.format {
        Some(OutputFormat::Concise) => Format::Concise,
        Some(OutputFormat::Json) => Format::Json,
        Some(OutputFormat::Sarif) => Format::Sarif,
        Some(OutputFormat::Github) => Format::Github,
        None if github => Format::Github,
        Some(OutputFormat::Pretty) | None => Format::Pretty,
    };
    match run_check(args, format) {
        Ok(code) => Ok(code),
        Err(error) => {
            // Machine-readable formats still print a document, so a pipeline into a JSON reader
            // or a code-scanning upload sees the failure rather than an empty file.
            if let Some(document) = crate::render::render_failure(format, &format!("{error:#}")) {
                print(&document)?;
            }
            Err(error)
        }
    }
}

fn run_check(args: &CheckArgs, format: Format) -> anyhow::Result<u8> {
    let default = PathBuf::from(".");
    let path = args.config.as_ref().or(args.path.as_ref()).unwrap_or(&default);
    if let Some(config) = &args.config {
        if config.is_dir() {
            bail!(
                "--config {}: is a directory; name the config file, or pass the directory without --config",
                config.display()
            );
        }
        if config.exists() && !config.is_file() {
            bail!("--config {}: not a regular file", config.display());
        }
        if !config.is_file() {
            bail!("--config {}: no such file", config.display());
        }
    }
    let project = Project::load(path)?;
    tracing::debug!(config = %project.config.display, "loaded project");
    let options = Options { env: args.env.clone(), require_remote: args.require_remote };
    let snapshot = if args.remote { account_snapshot(&project, &options)? } else { None };
    let report = match check_project_with(&project, &options, snapshot.as_ref()) {
        Ok(report) => report,
        Err(error @ CheckError::UnknownEnvironment { .. }) => return Err(error.into()),
        Err(error) => return Err(error).context("checking the project"),
    };
    print_report(&project, &report, format)?;
    Ok(u8::from(report.fails(args.deny_warnings)))
}

/// Checks a loaded project, the top level and `env` (every environment when `None`).
fn check_loaded(project: &Project, env: Option<String>) -> anyhow::Result<crate::Report> {
    match check_project(project, &Options { env, ..Options::default() }) {
        Ok(report) => Ok(report),
        Err(error @ CheckError::UnknownEnvironment { .. }) => Err(error.into()),
        Err(error) => Err(error).context("checking the project"),
    }
}

fn print_report(project: &Project, report: &crate::Report, format: Format) -> anyhow::Result<()> {
    print(&report_text(project, report, format, std::io::stdout().is_terminal()))
}

/// The report in `format`, its snippets taken from the config and the settings file; colour
/// only for a terminal, and never with `NO_COLOR`.
fn report_text(
    project: &Project,
    report: &crate::Report,
    format: Format,
    terminal: bool,
) -> String {
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut files = vec![&project.config];
    if let Some(settings) = &project.settings.file {
        files.push(settings);
    }
    render(report, format, &RenderContext { files, color })
}

/// Whether this runs in GitHub Actions, where the `github` format is the default.
fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Verifies the token and fetches the account for the environments being checked. A config
/// that does not parse has nothing to look up: its syntax error is the report.
fn account_snapshot(
    project: &Project,
    options: &Options,
) -> anyhow::Result<Option<crate::remote::Snapshot>> {
    let Ok(root) = &project.tree else {
        tracing::warn!("the config does not parse; the account is not checked");
        return Ok(None);
    };
    if let Some(name) = &options.env
        && root.get("env").is_none_or(|envs| envs.get(name).is_none())
    {
        // check_project reports the undeclared environment with the names it has.
        return Ok(None);
    }
    let remote = RemoteOptions::from_env()?;
    let environments = crate::config::resolve_environments(root, options.env.as_deref());
    let started = std::time::Instant::now();
    let snapshot = gather(&environments, &remote).context("checking the account")?;
    tracing::info!(calls = snapshot.calls, ms = started.elapsed().as_millis(), "account fetched");
    Ok(Some(snapshot))
}

/// Writes to stdout; a closed pipe (`atom-sage check | head`) is not an error worth a panic.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match crate::stdio::write_all(&mut stdout, text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to stdout"),
    }
}

fn start_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ATOM_SAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}
