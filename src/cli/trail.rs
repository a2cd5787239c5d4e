//! `atom-sage trail`: read, verify, export and append to the audit trail.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::trail::{self, ExportFormat, NewEntry, Outcome, ProblemKind, VersionIds};
use anyhow::{Context as _, bail};
use clap::{Subcommand, ValueEnum};

use super::print;

#[derive(Subcommand)]
pub enum TrailCommand {
    /// One line per entry: tag, time, who, action, environment, outcome.
    List {
        /// The project directory (the config is searched from here upward) or its config file.
        path: Option<PathBuf>,
    },
    /// One entry in full.
    Show {
        /// The entry's tag, e.g. ATOM-DEPLOY-20261204-003.
        tag: String,
        /// The project directory or its config file.
        path: Option<PathBuf>,
    },
    /// Recompute the hash chain; exit 1 at the first line changed, removed, inserted,
    /// reordered or cut off.
    Verify {
        /// The project directory or its config file.
        path: Option<PathBuf>,
    },
    /// Every entry as JSON, JSON lines or CSV.
    Export {
        /// The project directory or its config file.
        path: Option<PathBuf>,
        /// Output format.
        #[arg(short, long, value_enum, default_value = "jsonl")]
        format: ExportArg,
    },
    /// Operations that started and never recorded an outcome; exit 1 when there are any.
    Resume {
        /// The project directory or its config file.
        path: Option<PathBuf>,
    },
    /// Record an entry (for scripts); prints its tag.
    Append(AppendArgs),
    /// Send the entries the HTTP sink (`trail.sink` in the settings) has not taken yet, in
    /// order; exit 1 when some are still waiting.
    Flush {
        /// The project directory or its config file.
        path: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportArg {
    Json,
    Jsonl,
    Csv,
}

#[derive(clap::Args)]
pub struct AppendArgs {
    /// The project directory or its config file.
    path: Option<PathBuf>,
    /// What is done: DEPLOY, ROLLBACK, CHECK, ...
    #[arg(long)]
    action: String,
    /// `started`, `succeeded`, `failed`, `rolled_back`, `aborted` or `forced`.
    #[arg(long, default_value = "started", value_parser = parse_outcome)]
    outcome: Outcome,
    /// The tag of the `started` entry this outcome ends.
    #[arg(long, value_name = "TAG")]
    operation: Option<String>,
    /// The environment (none: the top level).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// The worker name.
    #[arg(long)]
    worker: Option<String>,
    /// What the user meant to do.
    #[arg(long)]
    intent: Option<String>,
    /// Why a deploy was forced or aborted.
    #[arg(long)]
    reason: Option<String>,
    /// The version serving before.
    #[arg(long, value_name = "VERSION_ID")]
    version_before: Option<String>,
    /// The version serving after.
    #[arg(long, value_name = "VERSION_ID")]
    version_after: Option<String>,
    /// The command that undoes the operation.
    #[arg(long, value_name = "COMMAND")]
    rollback_command: Option<String>,
    /// Append the entry this many times (for testing concurrent writers).
    #[arg(long, default_value_t = 1, hide = true)]
    repeat: u32,
}

fn parse_outcome(text: &str) -> Result<Outcome, String> {
    Outcome::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

fn directory(path: Option<&PathBuf>) -> anyhow::Result<PathBuf> {
    Ok(trail::project_directory(path.map_or(Path::new("."), PathBuf::as_path))?)
}

fn read(directory: &Path) -> anyhow::Result<Vec<trail::Entry>> {
    let trail = trail::read(directory)?;
    if let Some(line) = trail.truncated_line {
        eprintln!(
            "warning: {}:{line}: the last line was cut off and is not shown; `atom-sage trail verify` reports it",
            trail::trail_path(directory).display()
        );
    }
    Ok(trail.entries)
}

/// Runs a `trail` subcommand.
pub fn run(command: &TrailCommand) -> anyhow::Result<u8> {
    match command {
        TrailCommand::List { path } => {
            let entries = read(&directory(path.as_ref())?)?;
            if entries.is_empty() {
                eprintln!("the trail is empty");
                return Ok(0);
            }
            print(&trail::table(&entries))?;
        }
        TrailCommand::Show { tag, path } => {
            let entries = read(&directory(path.as_ref())?)?;
            let Some(entry) = entries.iter().find(|entry| entry.tag.eq_ignore_ascii_case(tag))
            else {
                bail!(trail::TrailError::UnknownTag(tag.clone()));
            };
            print(&(serde_json::to_string_pretty(entry)? + "\n"))?;
        }
        TrailCommand::Verify { path } => return verify(&directory(path.as_ref())?),
        TrailCommand::Export { path, format } => {
            let format = match format {
                ExportArg::Json => ExportFormat::Json,
                ExportArg::Jsonl => ExportFormat::Jsonl,
                ExportArg::Csv => ExportFormat::Csv,
            };
            print(&trail::export(&read(&directory(path.as_ref())?)?, format))?;
        }
        TrailCommand::Resume { path } => return resume(&directory(path.as_ref())?),
        TrailCommand::Flush { path } => return flush(&directory(path.as_ref())?),
        TrailCommand::Append(args) => {
            let directory = directory(args.path.as_ref())?;
            let new = NewEntry {
                action: args.action.clone(),
                outcome: Some(args.outcome),
                operation: args.operation.clone(),
                intent: args.intent.clone(),
                environment: args.env.clone(),
                worker: args.worker.clone(),
                version_ids: VersionIds {
                    before: args.version_before.clone(),
                    after: args.version_after.clone(),
                },
                findings: None,
                reason: args.reason.clone(),
                rollback_command: args.rollback_command.clone(),
                who: Some(trail::who(&directory)),
            };
            let mut tags = String::new();
            for _ in 0..args.repeat {
                let entry =
                    trail::append(&directory, new.clone()).context("appending to the trail")?;
                tags.push_str(&entry.tag);
                tags.push('\n');
            }
            print(&tags)?;
        }
    }
    Ok(0)
}

fn flush(directory: &Path) -> anyhow::Result<u8> {
    let settings = crate::settings::Settings::load(directory);
    let Some(sink) = settings.trail.sink else {
        bail!(trail::SinkError::NotConfigured);
    };
    let url = trail::redact_url(&sink.url);
    match trail::deliver(directory, &sink) {
        Ok(delivery) => {
            print(&format!("{url}: delivered {}, none waiting\n", delivery.delivered))?;
            Ok(0)
        }
        Err(error) => {
            let waiting = pending(directory);
            print(&format!("{error}; waiting: {waiting}\n"))?;
            Ok(1)
        }
    }
}

/// How many complete lines come after the delivery position (all of them without one).
fn pending(directory: &Path) -> usize {
    let entries = trail::read(directory).map(|trail| trail.entries).unwrap_or_default();
    let position = trail::read_position(directory);
    let after = position
        .and_then(|position| entries.iter().position(|entry| entry.hash == position.hash))
        .map_or(0, |index| index + 1);
    entries.len() - after
}

fn verify(directory: &Path) -> anyhow::Result<u8> {
    let verification = trail::verify(directory)?;
    let path = trail::trail_path(directory);
    if !verification.exists {
        print(&format!("no trail at {}: nothing recorded yet\n", path.display()))?;
        return Ok(0);
    }
    let Some(problem) = verification.problem else {
        print(&format!(
            "{}: {} entries, chain intact; last hash {}\n",
            path.display(),
            verification.entries,
            verification.head.as_deref().unwrap_or("(none)")
        ))?;
        return Ok(0);
    };
    let kind = match problem.kind {
        ProblemKind::Changed => "changed",
        ProblemKind::Removed => "line missing before it",
        ProblemKind::Inserted => "inserted",
        ProblemKind::Reordered => "out of order",
        ProblemKind::Truncated => "truncated",
    };
    let tag = problem.tag.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    print(&format!(
        "{}:{}{}: {kind}: {}\n",
        path.display(),
        problem.line,
        crate::render::printable(&tag),
        problem.message
    ))?;
    Ok(1)
}

fn resume(directory: &Path) -> anyhow::Result<u8> {
    let open = trail::resume(&read(directory)?);
    if open.is_empty() {
        print("no unfinished operations\n")?;
        return Ok(0);
    }
    let mut out = String::new();
    for operation in &open {
        let text = |value: &Option<String>, none: &str| {
            crate::render::printable(value.as_deref().unwrap_or(none)).into_owned()
        };
        let _ = writeln!(
            out,
            "{} started {} by {} and never finished\n  action: {}\n  environment: {}\n  worker: {}\n  version before: {}",
            operation.tag,
            operation.time,
            crate::render::printable(&operation.who),
            operation.action,
            text(&operation.environment, "top level"),
            text(&operation.worker, "(not recorded)"),
            text(&operation.version_before, "(not recorded)"),
        );
        if let Some(intent) = &operation.intent {
            let _ = writeln!(out, "  intent: {}", crate::render::printable(intent));
        }
        match &operation.undo_command {
            Some(command) => {
                let _ = writeln!(out, "  undo: {}", crate::render::printable(command));
            }
            None => {
                let _ =
                    writeln!(out, "  undo: no rollback command or previous version was recorded");
            }
        }
        let _ = writeln!(out, "  record how it ended: {}", operation.close_command);
    }
    print(&out)?;
    Ok(1)
}
