//! `atom ACTION "description"`: an intent, parsed, then run where atom-sage can run it.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::intent::{Intent, Selection, parse};
use crate::render::{Format, printable};
use crate::trail::{FindingsSummary, NewEntry, Outcome};
use crate::{Project, Summary};
use anyhow::{Context as _, bail};
use clap::Parser;

use super::deploy::DeployRequest;
use super::diff::DiffFormat;
use super::rollback::RollbackRequest;
use super::{OutputFormat, check_loaded, print, print_report, start_logging};

/// Say what you are about to do; atom parses it, runs the checks it asks for and records it.
///
/// Example: atom CHECK "Check user-auth worker in staging - CTFWI: verify staging->production parity"
#[derive(Parser)]
#[command(name = "atom", version, about, long_about = None)]
pub struct AtomCli {
    /// DEPLOY, ROLLBACK, CHECK, DIFF, PROMOTE.
    action: String,
    /// What you mean to do, in quotes.
    description: Vec<String>,
    /// The project directory (the config is searched from here upward) or a config file.
    #[arg(short = 'C', long, value_name = "PATH", default_value = ".")]
    project: PathBuf,
    /// Print the parsed intent as JSON and do nothing else.
    #[arg(long)]
    json: bool,
    /// Output format of the check (DIFF: `json`, else the table).
    #[arg(short, long, value_enum, default_value = "pretty")]
    format: OutputFormat,
    /// More logging on stderr (repeat for more).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs the `atom` command line.
pub fn run(cli: &AtomCli) -> anyhow::Result<u8> {
    start_logging(cli.verbose, cli.quiet);
    let project = Project::load(&cli.project);
    let declared = project.as_ref().ok().and_then(Project::environment_names);
    let mut intent = parse(&cli.action, &cli.description.join(" "), declared.as_deref())?;
    if cli.description.len() > 1 {
        intent.warnings.insert(0, "the description is not in quotes; it was read as one".into());
    }
    if cli.json {
        print(&(serde_json::to_string_pretty(&intent)? + "\n"))?;
        return Ok(0);
    }
    for warning in &intent.warnings {
        eprintln!("warning: {}", printable(warning));
    }
    match intent.action.as_str() {
        "CHECK" | "DIFF" | "DEPLOY" | "ROLLBACK" => {}
        action => {
            print(&describe(&intent))?;
            eprintln!(
                "atom {action} is not available in this version; atom runs CHECK, DIFF, DEPLOY and ROLLBACK. Nothing was done."
            );
            return Ok(2);
        }
    }
    let project = project?;
    if intent.environment.is_none() && intent.environment_written.is_some() {
        bail!("the intent names an environment the config does not declare; nothing was run");
    }
    if matches!(intent.action.as_str(), "DEPLOY" | "ROLLBACK") {
        same_worker(&intent, &project)?;
    }
    let recorded = Some(format!("{} \"{}\"", intent.action, intent.text));
    match intent.action.as_str() {
        "DIFF" => diff(&intent, &project, cli.format),
        // A promotion or parity intent compares the two environments first, and an error there
        // (production data reachable from staging, a shared worker) stops the deploy.
        "DEPLOY" if deploy_parity_fails(&intent, &project)? => {
            eprintln!("atom: the parity check found errors; nothing was deployed");
            Ok(1)
        }
        "DEPLOY" => super::deploy::deploy(&DeployRequest {
            path: project.config.path.clone(),
            env: env_option(intent.environment.as_ref()),
            yes: false,
            force: None,
            intent: recorded,
            wrangler_args: Vec::new(),
            dry_run: intent.checks.contains(&Selection::DryRun),
        }),
        // A rollback has no rehearsal: `atom-sage rollback` without `-y` asks before it acts.
        "ROLLBACK" if intent.checks.contains(&Selection::DryRun) => bail!(
            "a rollback has no dry run; nothing was run. `atom-sage rollback` shows the version it would return to and asks before it acts"
        ),
        "ROLLBACK" => super::rollback::rollback(&RollbackRequest {
            path: project.config.path.clone(),
            env: env_option(intent.environment.as_ref()),
            to: None,
            yes: false,
            reason: None,
            intent: recorded,
        }),
        _ => check(&intent, &project, cli.format),
    }
}

/// A worker named in the intent must be the one the config deploys to that environment (or
/// the config's base name), so a deploy never goes to a worker the user did not mean.
fn same_worker(intent: &Intent, project: &Project) -> anyhow::Result<()> {
    let Some(named) = &intent.worker else { return Ok(()) };
    let env = env_option(intent.environment.as_ref());
    let deployed = super::deploy::worker_of(project, env.as_ref())?;
    let base =
        project.tree.as_ref().ok().and_then(|root| root.get("name")).and_then(|n| n.as_str());
    if deployed.as_ref() == Some(named) || base == Some(named.as_str()) {
        return Ok(());
    }
    bail!(
        "the intent names the worker `{}`, but {} deploys `{}`; nothing was run",
        printable(named),
        env.map_or_else(|| "the top level".to_owned(), |name| format!("env.{name}")),
        deployed.as_deref().unwrap_or("no named worker")
    )
}

/// The intent, one line per part, for people.
fn describe(intent: &Intent) -> String {
    let mut out = String::new();
    let parts = [
        ("action", Some(intent.action.clone())),
        ("worker", intent.worker.clone()),
        ("version", intent.version.clone()),
        ("environment", intent.environment.clone()),
        ("from", intent.from_environment.clone()),
        ("ctfwi", intent.ctfwi.clone()),
    ];
    for (name, value) in parts {
        if let Some(value) = value {
            let _ = writeln!(out, "{name}: {}", printable(&value));
        }
    }
    for check in &intent.checks {
        let _ = writeln!(out, "check: {}", selection(check));
    }
    out
}

fn selection(check: &Selection) -> String {
    match check {
        Selection::AllServices => "all services".to_owned(),
        Selection::DryRun => "dry run".to_owned(),
        Selection::Service { service } => format!("the {service} findings"),
        Selection::Parity { from, to } => format!("parity of {from} and {to}"),
    }
}

/// The environment as `check --env` takes it: `None` for the top level or when none is named.
fn env_option(name: Option<&String>) -> Option<String> {
    name.filter(|n| *n != "top").cloned()
}

fn check(intent: &Intent, project: &Project, format: OutputFormat) -> anyhow::Result<u8> {
    let mut report = check_loaded(project, env_option(intent.environment.as_ref()))?;
    let services: Vec<&str> = intent
        .checks
        .iter()
        .filter_map(|check| match check {
            Selection::Service { service } => Some(service.as_str()),
            _ => None,
        })
        .collect();
    let everything = intent.checks.contains(&Selection::AllServices);
    if !services.is_empty() && !everything {
        report.diagnostics.retain(|d| services.contains(&d.service.as_str()));
        report.summary = Summary::of(&report.diagnostics);
        eprintln!(
            "note: only the findings of {} are shown, as the intent asks",
            services.join(", ")
        );
    }
    print_report(project, &report, format.into())?;
    let mut failed = report.fails(false);
    for check in &intent.checks {
        let Selection::Parity { from, to } = check else { continue };
        // A second document after a JSON or SARIF one would make stdout unreadable to tools.
        if matches!(format, OutputFormat::Pretty | OutputFormat::Concise) {
            failed |= parity(project, from, to)?;
        } else {
            eprintln!(
                "warning: the parity of {from} and {to} is not compared in this format; run `atom-sage diff {from} {to} --format json`"
            );
        }
    }
    let worker = report
        .environments
        .iter()
        .find(|env| env.name == env_option(intent.environment.as_ref()))
        .and_then(|env| env.worker.clone());
    let entry = crate::trail::append(
        &project.directory,
        NewEntry {
            action: "CHECK".to_owned(),
            outcome: Some(if failed { Outcome::Failed } else { Outcome::Succeeded }),
            intent: Some(format!("{} \"{}\"", intent.action, intent.text)),
            environment: env_option(intent.environment.as_ref()),
            worker,
            findings: Some(FindingsSummary::of(&report.diagnostics)),
            ..NewEntry::default()
        },
    )
    .context("recording the check in the trail")?;
    eprintln!("recorded as {}", entry.tag);
    Ok(u8::from(failed))
}

/// Runs the parity comparisons a DEPLOY intent asks for; whether one of them has errors.
fn deploy_parity_fails(intent: &Intent, project: &Project) -> anyhow::Result<bool> {
    let mut failed = false;
    for check in &intent.checks {
        if let Selection::Parity { from, to } = check {
            failed |= parity(project, from, to)?;
        }
    }
    Ok(failed)
}

/// Prints the diff of two environments; whether it has errors.
fn parity(project: &Project, from: &str, to: &str) -> anyhow::Result<bool> {
    let diff = crate::diff::diff_project(project, from, to)?;
    print(&crate::diff::pretty(&diff))?;
    Ok(diff.fails())
}

fn diff(intent: &Intent, project: &Project, format: OutputFormat) -> anyhow::Result<u8> {
    let pair = intent.checks.iter().find_map(|check| match check {
        Selection::Parity { from, to } => Some((from.clone(), to.clone())),
        _ => None,
    });
    let pair =
        pair.or_else(|| Some((intent.from_environment.clone()?, intent.environment.clone()?)));
    let Some((from, to)) = pair else {
        bail!("DIFF needs two environments, as in atom DIFF \"Compare staging and production\"");
    };
    let format =
        if matches!(format, OutputFormat::Json) { DiffFormat::Json } else { DiffFormat::Pretty };
    super::diff::diff(&from, &to, &project.config.path, format)
}

impl From<OutputFormat> for Format {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Pretty => Format::Pretty,
            OutputFormat::Concise => Format::Concise,
            OutputFormat::Json => Format::Json,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Github => Format::Github,
        }
    }
}
