//! `atom-sage deploy`: the checks, a rollback point, the trail, the project's wrangler,
//! verification and the rollback, in that order; and what `rollback` shares with it.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::deploy::rollback;
use crate::deploy::{Retention, RollbackPoint, Workers, point, verify};
use crate::remote::{RemoteError, RemoteOptions, Snapshot};
use crate::render::{Format, printable};
use crate::trail::{Entry, FindingsSummary, NewEntry, Outcome, VersionIds};
use crate::{CheckError, Options, Project, check_project_with};

use super::rollback::{not_restored, secrets_changed_note};
use super::{account_snapshot, print, print_report};

#[derive(clap::Args)]
pub struct DeployArgs {
    /// The project directory (the config is searched from here upward) or its config file.
    path: Option<PathBuf>,
    /// The environment to deploy (default: the top level).
    #[arg(short, long, value_name = "NAME")]
    env: Option<String>,
    /// Answer yes to the question asked when the checks found warnings.
    #[arg(short = 'y', long)]
    yes: bool,
    /// Deploy although the checks found errors; needs --reason.
    #[arg(long, requires = "reason")]
    force: bool,
    /// Why the deploy is forced; recorded in the trail.
    #[arg(long, value_name = "TEXT", requires = "force")]
    reason: Option<String>,
    /// What you mean to do; recorded in the trail.
    #[arg(long, value_name = "TEXT")]
    intent: Option<String>,
    /// Arguments for `wrangler deploy`, after `--`.
    #[arg(last = true)]
    wrangler_args: Vec<OsString>,
}

/// A deploy as the command line or an intent asks for it.
pub struct DeployRequest {
    /// The project directory or its config file.
    pub path: PathBuf,
    /// The environment; `None` for the top level.
    pub env: Option<String>,
    /// Answer yes to the question about warnings.
    pub yes: bool,
    /// `Some(reason)` with `--force`.
    pub force: Option<String>,
    /// What the user means to do, for the trail.
    pub intent: Option<String>,
    /// Arguments for `wrangler deploy`.
    pub wrangler_args: Vec<OsString>,
    /// Check and run `wrangler deploy --dry-run` only.
    pub dry_run: bool,
}

impl DeployArgs {
    pub fn request(&self) -> DeployRequest {
        DeployRequest {
            path: self.path.clone().unwrap_or_else(|| PathBuf::from(".")),
            env: self.env.clone(),
            yes: self.yes,
            force: if self.force { self.reason.clone() } else { None },
            intent: self.intent.clone(),
            wrangler_args: self.wrangler_args.clone(),
            dry_run: false,
        }
    }
}

/// What every trail entry of one deploy or rollback shares.
pub(super) struct Record<'a> {
    pub directory: &'a Path,
    pub action: &'static str,
    pub env: Option<String>,
    pub worker: String,
    pub intent: Option<String>,
    pub findings: Option<FindingsSummary>,
}

impl Record<'_> {
    pub fn append(
        &self,
        outcome: Outcome,
        operation: Option<&Entry>,
        versions: VersionIds,
        reason: Option<String>,
        rollback_command: Option<String>,
    ) -> anyhow::Result<Entry> {
        let entry = crate::trail::append(
            self.directory,
            NewEntry {
                action: self.action.to_owned(),
                outcome: Some(outcome),
                operation: operation.map(|started| started.tag.clone()),
                intent: self.intent.clone(),
                environment: self.env.clone(),
                worker: Some(self.worker.clone()),
                version_ids: versions,
                findings: self.findings.clone(),
                reason,
                rollback_command,
                who: None,
            },
        )
        .context("writing to the trail")?;
        eprintln!("recorded as {} ({})", entry.tag, outcome.as_str());
        Ok(entry)
    }
}

/// Runs a deploy; the exit code is 0 when it deployed and verified, 1 when it was stopped,
/// failed or rolled back.
pub fn deploy(request: &DeployRequest) -> anyhow::Result<u8> {
    refuse_overrides(&request.wrangler_args)?;
    let project = Project::load(&request.path)?;
    let options = Options { env: request.env.clone(), require_remote: false };
    let snapshot = if request.dry_run && RemoteOptions::from_env().is_err() {
        eprintln!("note: no API credentials, so the account is not checked (dry run)");
        None
    } else {
        credentials("deploy")?;
        account_snapshot(&project, &options).context("nothing was deployed")?
    };
    let report = match check_project_with(&project, &options, snapshot.as_ref()) {
        Ok(report) => report,
        Err(error @ CheckError::UnknownEnvironment { .. }) => return Err(error.into()),
        Err(error) => return Err(error).context("checking the project"),
    };
    print_report(&project, &report, Format::Pretty)?;
    let Some(worker) = report
        .environments
        .iter()
        .find(|env| env.name == request.env)
        .and_then(|env| env.worker.clone())
    else {
        bail!(
            "the config gives {} no worker name; nothing was deployed",
            place(request.env.as_ref())
        );
    };
    let record = Record {
        directory: &project.directory,
        action: "DEPLOY",
        env: request.env.clone(),
        worker: worker.clone(),
        intent: request.intent.clone(),
        findings: Some(FindingsSummary::of(&report.diagnostics)),
    };

    let errors = report.summary.errors;
    if errors > 0 {
        let Some(reason) = &request.force else {
            eprintln!(
                "atom-sage: not deploying {worker}: {errors} error{} above. Fix them, or pass --force --reason TEXT.",
                plural(errors)
            );
            let reason = format!("the checks found {errors} error{}", plural(errors));
            record.append(Outcome::Aborted, None, VersionIds::default(), Some(reason), None)?;
            return Ok(1);
        };
        eprintln!(
            "atom-sage: deploying despite {errors} error{} (--force): {}",
            plural(errors),
            printable(reason)
        );
    }
    let warnings = report.summary.warnings;
    if warnings > 0
        && !confirm(
            &format!("{warnings} warning{} above.", plural(warnings)),
            "Continue deployment?",
            request.yes,
            true,
        )?
    {
        eprintln!("atom-sage: not deploying {worker}.");
        let reason = "declined after warnings".to_owned();
        record.append(Outcome::Aborted, None, VersionIds::default(), Some(reason), None)?;
        return Ok(1);
    }
    // A config named without a folder (`notes.toml`) has an empty directory; wrangler runs in
    // the current one then.
    let directory = std::path::absolute(&request.path)
        .ok()
        .filter(|_| request.path.is_file())
        .and_then(|config| config.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| project.directory.clone());
    let Some(wrangler) = crate::wrangler::locate(&directory) else {
        bail!(
            "no wrangler found: not in node_modules/.bin of {} or its parents, nor on PATH; install it with `npm install --save-dev wrangler`. Nothing was deployed",
            project.directory.display()
        );
    };
    let mut args: Vec<OsString> = vec!["deploy".into()];
    if let Some(env) = &request.env {
        args.extend(["--env".into(), env.into()]);
    }
    // A config file named on the command line is the one wrangler must deploy too; a project
    // directory lets wrangler find the same config atom-sage found.
    if request.path.is_file() {
        let config = std::path::absolute(&request.path).unwrap_or_else(|_| request.path.clone());
        args.extend(["--config".into(), config.into()]);
    }
    args.extend(request.wrangler_args.iter().cloned());

    if request.dry_run {
        args.push("--dry-run".into());
        let (status, _) = crate::deploy::run_teed(&wrangler, &directory, &args)
            .with_context(|| format!("running {}", wrangler.program().display()))?;
        let outcome = if status.success() { Outcome::Succeeded } else { Outcome::Failed };
        let reason = Some("dry run: checks and `wrangler deploy --dry-run` only".to_owned());
        record.append(outcome, None, VersionIds::default(), reason, None)?;
        return Ok(u8::from(!status.success()));
    }
    let Some(snapshot) = snapshot else {
        bail!(
            "the account could not be read, so no rollback point can be recorded; nothing was deployed"
        );
    };
    let workers = Workers::new(credentials("deploy")?, snapshot.account_id.clone());
    let point = rollback_point(&project, &workers, &snapshot, &worker, request.env.clone())?;
    let before = point.version_id.clone();
    let rollback_command = before.as_ref().map(|version| {
        format!("atom-sage rollback{} --to {version} -y", env_flag(request.env.as_ref()))
    });
    let started = record.append(
        Outcome::Started,
        None,
        VersionIds { before: before.clone(), after: None },
        request.force.clone(),
        rollback_command.clone(),
    )?;

    let (status, output) = match crate::deploy::run_teed(&wrangler, &directory, &args) {
        Ok(ran) => ran,
        Err(error) => {
            let reason = Some(format!("wrangler could not be run: {error}"));
            let versions = VersionIds { before, after: None };
            record.append(Outcome::Failed, Some(&started), versions, reason, None)?;
            return Err(error).context(format!("running {}", wrangler.program().display()));
        }
    };
    let after = crate::deploy::version_id_in(&output).or_else(|| {
        workers.active_deployment(&worker).ok().flatten().map(|active| active.version_id)
    });
    let versions = VersionIds { before: before.clone(), after: after.clone() };
    if !status.success() {
        let code = crate::wrangler::exit_code(status);
        print(&format!(
            "deploy: wrangler deploy failed (exit {code}); {worker} still serves {}\n",
            or_none(before.as_ref())
        ))?;
        let reason = Some(format!("wrangler deploy exited with {code}"));
        record.append(Outcome::Failed, Some(&started), versions, reason, rollback_command)?;
        return Ok(1);
    }
    print(&format!(
        "deploy: {worker} now serves {} (was {})\n",
        or_none(after.as_ref()),
        or_none(before.as_ref())
    ))?;

    let settings = &project.settings.deploy;
    let checks = settings.health_checks_for(request.env.as_deref());
    if checks.is_empty() {
        print(
            "verify: no health check configured; the deploy is not verified (deploy.health_checks in .atom-sage/cloudflare-config.yaml)\n",
        )?;
    } else {
        let timeout = Duration::from_millis(settings.timeout_ms);
        let results = verify::verify(&checks, settings.requests, timeout)
            .map_err(|error| anyhow::anyhow!("starting the health checks: {error}"))?;
        print(&verification_lines(&results))?;
        if !results.iter().all(verify::CheckResult::passed) {
            return failed_verification(
                &record,
                &started,
                &workers,
                &worker,
                versions,
                &point,
                settings.auto_rollback,
            );
        }
    }
    let (outcome, reason) = match &request.force {
        Some(reason) => (Outcome::Forced, Some(reason.clone())),
        None => (Outcome::Succeeded, None),
    };
    record.append(outcome, Some(&started), versions, reason, rollback_command)?;
    Ok(0)
}

/// After a failed verification: rolls back when the settings allow it and there is something
/// to return to, and records the outcome.
fn failed_verification(
    record: &Record,
    started: &Entry,
    workers: &Workers,
    worker: &str,
    versions: VersionIds,
    point: &RollbackPoint,
    auto_rollback: bool,
) -> anyhow::Result<u8> {
    let Some(before) = versions.before.clone() else {
        print("verify: failed; not rolled back: the worker had no earlier version\n")?;
        let reason = Some("verification failed; nothing to roll back to".to_owned());
        record.append(Outcome::Failed, Some(started), versions, reason, None)?;
        return Ok(1);
    };
    if !auto_rollback {
        print(&format!(
            "verify: failed; not rolled back (deploy.auto_rollback is off). To return to the version before: atom-sage rollback{} --to {before}\n",
            env_flag(record.env.as_ref())
        ))?;
        let reason = Some("verification failed; auto_rollback is off".to_owned());
        record.append(Outcome::Failed, Some(started), versions, reason, None)?;
        return Ok(1);
    }
    print(&format!("verify: failed; rolling {worker} back to {before}\n"))?;
    let message = format!("atom-sage: verification of {} failed", or_none(versions.after.as_ref()));
    match rollback::rollback(workers, worker, &before, &message, secrets_changed_note) {
        Ok(done) => {
            print(&format!("rollback: {worker} serves {} again\n", done.to))?;
            print(&not_restored(workers, worker, &done, Some(point), None))?;
            let reason = Some(format!(
                "verification of version {} failed; rolled back",
                or_none(versions.after.as_ref())
            ));
            let versions = VersionIds { before: versions.before, after: Some(done.to) };
            record.append(Outcome::RolledBack, Some(started), versions, reason, None)?;
        }
        Err(error) => {
            let command =
                format!("atom-sage rollback{} --to {before}", env_flag(record.env.as_ref()));
            print(&format!(
                "rollback: failed: {error}\n{} may still serve {}. To return to the version before: {command}\n",
                worker,
                or_none(versions.after.as_ref())
            ))?;
            let reason = Some(format!("verification failed; the rollback failed: {error}"));
            record.append(Outcome::Failed, Some(started), versions, reason, Some(command))?;
        }
    }
    Ok(1)
}

/// Records what the worker serves now, its bindings, secrets and migrations, under
/// `.atom-sage/rollback/`.
fn rollback_point(
    project: &Project,
    workers: &Workers,
    snapshot: &Snapshot,
    worker: &str,
    env: Option<String>,
) -> anyhow::Result<RollbackPoint> {
    let active = workers
        .active_deployment(worker)
        .with_context(|| format!("reading the deployments of {worker}; nothing was deployed"))?;
    let migration_tag = workers
        .migration_tag(worker)
        .context("reading the scripts of the account; nothing was deployed")?;
    let remote = snapshot.workers.get(worker);
    let listed =
        remote.and_then(|w| w.bindings.as_ref().ok()).map(|b| b.clone().unwrap_or_default());
    let is_var = |kind: &str| matches!(kind, "plain_text" | "json");
    let point = RollbackPoint {
        worker: worker.to_owned(),
        environment: env,
        account_id: workers.account_id().to_owned(),
        recorded_at_ms: point::now_ms(),
        deployment_id: active.as_ref().map(|a| a.deployment_id.clone()),
        version_id: active.as_ref().map(|a| a.version_id.clone()),
        bindings: listed
            .as_ref()
            .map(|all| all.iter().filter(|(_, kind)| !is_var(kind)).cloned().collect()),
        vars: listed.as_ref().map(|all| {
            all.iter().filter(|(_, kind)| is_var(kind)).map(|(name, _)| name.clone()).collect()
        }),
        secrets: remote
            .and_then(|w| w.secrets.as_ref().ok())
            .map(|s| s.clone().unwrap_or_default()),
        d1_migrations: d1_migrations(snapshot),
        migration_tag,
    };
    let settings = &project.settings.deploy;
    let retention = Retention { count: settings.retention_count, days: settings.retention_days };
    let path = point::write(&project.directory, &point, retention)
        .context("recording the rollback point; nothing was deployed")?;
    let shown = path.strip_prefix(&project.directory).unwrap_or(&path);
    match &point.version_id {
        Some(version) => {
            print(&format!("rollback point: {} ({worker} serves {version})\n", shown.display()))?;
        }
        None => print(&format!(
            "rollback point: {} ({worker} does not exist yet; nothing to roll back to)\n",
            shown.display()
        ))?,
    }
    Ok(point)
}

pub(super) fn d1_migrations(snapshot: &Snapshot) -> BTreeMap<String, Vec<String>> {
    snapshot
        .d1
        .iter()
        .filter_map(|(id, database)| Some((id.clone(), database.applied.as_ref().ok()?.clone())))
        .collect()
}

fn verification_lines(results: &[verify::CheckResult]) -> String {
    let mut out = String::new();
    for result in results {
        let answered = result.latencies.len();
        let total = answered + result.failures.len();
        let latency = result.latency().map_or_else(String::new, |(min, median, max)| {
            format!(
                ", latency min {} ms, median {} ms, max {} ms",
                min.as_millis(),
                median.as_millis(),
                max.as_millis()
            )
        });
        let verdict = if result.passed() { "ok" } else { "FAILED" };
        let _ =
            writeln!(out, "verify: {verdict} {}: {answered}/{total} healthy{latency}", result.url);
        for failure in &result.failures {
            let _ = writeln!(out, "  {failure}");
        }
    }
    out
}

/// The credentials from the environment; without them, an error naming the command.
pub(super) fn credentials(command: &str) -> anyhow::Result<RemoteOptions> {
    match RemoteOptions::from_env() {
        Ok(options) => Ok(options),
        Err(RemoteError::NoCredentials) => bail!(
            "atom-sage {command} needs API credentials to read and change the worker's deployments: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL). Nothing was changed"
        ),
        Err(error) => Err(error.into()),
    }
}

/// The worker name of the top level or `env`; an undeclared environment is an error.
pub(super) fn worker_of(project: &Project, env: Option<&String>) -> anyhow::Result<Option<String>> {
    let Ok(root) = &project.tree else {
        bail!("{} does not parse; `atom-sage check` shows where", project.config.display);
    };
    let declared = project.environment_names().unwrap_or_default();
    if let Some(name) = env
        && !declared.contains(name)
    {
        return Err(CheckError::UnknownEnvironment {
            name: name.clone(),
            config: project.config.display.clone(),
            available: declared,
        }
        .into());
    }
    let environments = crate::config::resolve_environments(root, env.map(String::as_str));
    Ok(environments
        .iter()
        .find(|e| e.name == env.map(String::as_str))
        .and_then(crate::config::Environment::worker_name))
}

/// Asks on a terminal; `-y` or a stdin that is not a terminal answers yes, and says so.
/// `default_yes` is the answer to an empty line.
pub(super) fn confirm(
    what: &str,
    question: &str,
    yes: bool,
    default_yes: bool,
) -> anyhow::Result<bool> {
    if yes {
        eprintln!("{what} Continuing (-y).");
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("{what} Continuing: stdin is not a terminal, so nobody can be asked.");
        return Ok(true);
    }
    let choices = if default_yes { "[Y/n]" } else { "[y/N]" };
    eprint!("{what} {question} {choices} ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).context("reading the answer")?;
    let answer = answer.trim().to_ascii_lowercase();
    Ok(match answer.as_str() {
        "" => default_yes,
        "y" | "yes" => true,
        _ => false,
    })
}

pub(super) fn place(env: Option<&String>) -> String {
    env.as_ref().map_or_else(|| "the top level".to_owned(), |name| format!("env.{name}"))
}

fn env_flag(env: Option<&String>) -> String {
    env.as_ref().map(|name| format!(" --env {name}")).unwrap_or_default()
}

pub(super) fn or_none(version: Option<&String>) -> &str {
    version.map_or("(none)", String::as_str)
}

/// wrangler arguments after `--` that would deploy something other than what was checked and
/// recorded (another worker, config or environment), or nothing at all while the trail says a
/// deploy happened.
fn refuse_overrides(args: &[OsString]) -> anyhow::Result<()> {
    const CHANGE_TARGET: [&str; 8] =
        ["--name", "--config", "-c", "--c", "--env", "-e", "--e", "--script"];
    for arg in args {
        let text = arg.to_string_lossy();
        let flag = text.split_once('=').map_or(text.as_ref(), |(flag, _)| flag);
        if CHANGE_TARGET.contains(&flag) {
            bail!(
                "`{flag}` after `--` would deploy something other than what atom-sage checks and records; use atom-sage's own [PATH] and --env. Nothing was deployed"
            );
        }
        if flag == "--dry-run" {
            bail!(
                "`--dry-run` after `--` would be recorded as a deploy; run `atom DEPLOY \"... - CTFWI: dry run\"` or `atom-sage check`. Nothing was deployed"
            );
        }
    }
    Ok(())
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

#[cfg(test)]
mod override_tests {
    use super::*;

    fn args(text: &str) -> Vec<OsString> {
        text.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn arguments_that_change_what_is_deployed_are_refused() {
        for line in [
            "--name evil",
            "--name=evil",
            "-c other.toml",
            "--env production",
            "--e=x",
            "--dry-run",
        ] {
            assert!(refuse_overrides(&args(line)).is_err(), "{line}");
        }
        assert!(refuse_overrides(&args("--minify --var A:1 --message hi")).is_ok());
    }
}
