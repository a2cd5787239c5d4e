//! Command-line arguments and what each command does with them.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use atom_sage::remote::{RemoteOptions, gather};
use atom_sage::render::{Format, RenderContext, render};
use atom_sage::{CheckError, Options, Project, check_project_with};
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
    Deploy {
        /// Arguments, not yet used.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        rest: Vec<String>,
    },
    /// Return a worker to a recorded version.
    Rollback {
        /// Arguments, not yet used.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        rest: Vec<String>,
    },
    /// Compare two environments side by side.
    Diff {
        /// Arguments, not yet used.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        rest: Vec<String>,
    },
    /// Read and verify the audit trail of deploys.
    Trail {
        /// Arguments, not yet used.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        rest: Vec<String>,
    },
    /// Serve the JSON-RPC protocol on stdin and stdout.
    Serve {
        /// Arguments, not yet used.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        rest: Vec<String>,
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
    /// Check only the top level and this environment (default: every environment).
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

/// Runs the command line; errors are the tool failing (exit 2).
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    start_logging(cli.verbose, cli.quiet);
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules => {
            let mut out = String::new();
            for rule in atom_sage::checks::rules() {
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
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { code } => {
            let Some(rule) = atom_sage::checks::find_rule(&code) else {
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
            Ok(ExitCode::SUCCESS)
        }
        Command::Deploy { .. } => Ok(not_built("deploy")),
        Command::Rollback { .. } => Ok(not_built("rollback")),
        Command::Diff { .. } => Ok(not_built("diff")),
        Command::Trail { .. } => Ok(not_built("trail")),
        Command::Serve { .. } => Ok(not_built("serve")),
    }
}

fn not_built(command: &str) -> ExitCode {
    eprintln!(
        "atom-sage {command} is not available in this version; only `check`, `rules` and `explain` are."
    );
    ExitCode::from(2)
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
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
            if let Some(document) = atom_sage::render::render_failure(format, &format!("{error:#}"))
            {
                print(&document)?;
            }
            Err(error)
        }
    }
}

fn run_check(args: &CheckArgs, format: Format) -> anyhow::Result<ExitCode> {
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
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut files = vec![&project.config];
    if let Some(settings) = &project.settings.file {
        files.push(settings);
    }
    print(&render(&report, format, &RenderContext { files, color }))?;
    Ok(if report.fails(args.deny_warnings) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Verifies the token and fetches the account for the environments being checked. A config
/// that does not parse has nothing to look up: its syntax error is the report.
fn account_snapshot(
    project: &Project,
    options: &Options,
) -> anyhow::Result<Option<atom_sage::remote::Snapshot>> {
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
    let environments = atom_sage::config::resolve_environments(root, options.env.as_deref());
    let started = std::time::Instant::now();
    let snapshot = gather(&environments, &remote).context("checking the account")?;
    tracing::info!(calls = snapshot.calls, ms = started.elapsed().as_millis(), "account fetched");
    Ok(Some(snapshot))
}

/// Writes to stdout; a closed pipe (`atom-sage check | head`) is not an error worth a panic.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
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
