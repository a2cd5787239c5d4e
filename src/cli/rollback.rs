//! `atom-sage rollback`: the worker back to a recorded version through the API, and a list of
//! what that does not restore.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};

use crate::deploy::rollback::{self, Difference};
use crate::deploy::{RollbackPoint, Workers, point};
use crate::trail::{Outcome, VersionIds};
use crate::{Options, Project};

use super::deploy::{Record, confirm, credentials, d1_migrations, or_none, place, worker_of};
use super::{account_snapshot, print};

#[derive(clap::Args)]
pub struct RollbackArgs {
    /// The project directory (the config is searched from here upward) or its config file.
    path: Option<PathBuf>,
    /// The environment whose worker to roll back (default: the top level).
    #[arg(short, long, value_name = "NAME")]
    env: Option<String>,
    /// The version to return to (default: the last rollback point's).
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    yes: bool,
    /// Why; recorded in the trail.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
}

/// A rollback as the command line or an intent asks for it.
pub struct RollbackRequest {
    /// The project directory or its config file.
    pub path: PathBuf,
    /// The environment; `None` for the top level.
    pub env: Option<String>,
    /// The version to return to; `None` for the last rollback point's.
    pub to: Option<String>,
    /// Do not ask.
    pub yes: bool,
    /// Why, for the trail.
    pub reason: Option<String>,
    /// What the user means to do, for the trail.
    pub intent: Option<String>,
}

impl RollbackArgs {
    pub fn request(&self) -> RollbackRequest {
        RollbackRequest {
            path: self.path.clone().unwrap_or_else(|| PathBuf::from(".")),
            env: self.env.clone(),
            to: self.to.clone(),
            yes: self.yes,
            reason: self.reason.clone(),
            intent: None,
        }
    }
}

/// Runs a rollback; exit 0 when the worker serves the version asked for.
pub fn rollback(request: &RollbackRequest) -> anyhow::Result<u8> {
    let project = Project::load(&request.path)?;
    let options = Options { env: request.env.clone(), require_remote: false };
    let Some(worker) = worker_of(&project, request.env.as_ref())? else {
        bail!("the config gives {} no worker name", place(request.env.as_ref()));
    };
    let remote = credentials("rollback")?;
    let point = point::latest(&project.directory, &worker)?;
    let Some(target) =
        request.to.clone().or_else(|| point.as_ref().and_then(|(p, _)| p.version_id.clone()))
    else {
        bail!(
            "no rollback point with a version is recorded for {worker} in .atom-sage/rollback/; pass --to VERSION"
        );
    };
    let snapshot = account_snapshot(&project, &options)?;
    let Some(account) = snapshot.as_ref().map(|s| s.account_id.clone()) else {
        bail!("the account could not be read; nothing was rolled back");
    };
    let workers = Workers::new(remote, account);
    if !confirm(&format!("{worker} goes back to {target}."), "Roll back?", request.yes, false)? {
        eprintln!("atom-sage: nothing was rolled back.");
        return Ok(1);
    }
    let record = Record {
        directory: &project.directory,
        action: "ROLLBACK",
        env: request.env.clone(),
        worker: worker.clone(),
        intent: request.intent.clone(),
        findings: None,
    };
    let before = workers
        .active_deployment(&worker)
        .with_context(|| format!("reading the deployments of {worker}; nothing was rolled back"))?
        .map(|active| active.version_id);
    if before.as_deref() == Some(target.as_str()) {
        print(&format!(
            "rollback: nothing to do: {worker} already serves {target}. Pass --to VERSION to go back further.\n"
        ))?;
        return Ok(0);
    }
    let versions = VersionIds { before: before.clone(), after: Some(target.clone()) };
    let started =
        record.append(Outcome::Started, None, versions.clone(), request.reason.clone(), None)?;
    let message = request.reason.clone().unwrap_or_else(|| "atom-sage rollback".to_owned());
    match rollback::rollback(&workers, &worker, &target, &message, secrets_changed_note) {
        Ok(done) => {
            print(&format!(
                "rollback: {worker} serves {} (was {})\n",
                done.to,
                or_none(done.from.as_ref())
            ))?;
            let d1_now = snapshot.as_ref().map(d1_migrations);
            let point = point.as_ref().map(|(p, _)| p);
            print(&not_restored(&workers, &worker, &done, point, d1_now.as_ref()))?;
            record.append(
                Outcome::Succeeded,
                Some(&started),
                versions,
                request.reason.clone(),
                None,
            )?;
            Ok(0)
        }
        Err(error) => {
            let reason = Some(format!("the API refused: {error}"));
            record.append(Outcome::Failed, Some(&started), versions, reason, None)?;
            bail!("rolling {worker} back to {target}: {error}")
        }
    }
}

/// What the rollback left as it is: bindings, vars and secrets that differ between the two
/// versions, D1 migrations applied since the point, and Durable Object migrations.
pub(super) fn not_restored(
    workers: &Workers,
    worker: &str,
    done: &rollback::Rollback,
    point: Option<&RollbackPoint>,
    d1_now: Option<&BTreeMap<String, Vec<String>>>,
) -> String {
    let mut out = String::new();
    match &done.from {
        Some(from) if *from != done.to => {
            let left = workers.version_bindings(worker, from);
            let returned = workers.version_bindings(worker, &done.to);
            match (left, returned) {
                (Ok(left), Ok(returned)) => {
                    let differences = rollback::differences(&left, &returned);
                    if differences.is_empty() {
                        out.push_str("changed with the version: nothing; the two versions have the same bindings, vars and secret names\n");
                    }
                    // Bindings and vars belong to a version and come back with it; secrets
                    // belong to the worker and stay as they are now.
                    for Difference { group, name, kind, change } in differences {
                        let heading = if group == "secret" {
                            "not restored"
                        } else {
                            "changed with the version"
                        };
                        let _ =
                            writeln!(out, "{heading}: {group} {name} ({kind}) {}", change.as_str());
                    }
                    out.push_str("not restored: the data behind the bindings (KV, D1, R2, Durable Objects); a rollback changes code and configuration only\n");
                }
                (Err(error), _) | (_, Err(error)) => {
                    let _ = writeln!(
                        out,
                        "not restored: bindings unknown: could not read the versions ({error})"
                    );
                }
            }
        }
        _ => {}
    }
    if done.forced {
        out.push_str(
            "not restored: secrets keep their current values; a rollback never changes secrets\n",
        );
    }
    match (point, d1_now) {
        (Some(point), Some(now)) => {
            for (database, names) in rollback::migrations_since(point, now) {
                let _ = writeln!(
                    out,
                    "not restored: D1 database {database} applied {} since the rollback point; no rollback undoes a migration",
                    names.join(", ")
                );
            }
        }
        (None, _) => {
            out.push_str("not restored: D1 migrations unknown: no rollback point recorded\n");
        }
        (Some(_), None) => {}
    }
    if let Some(point) = point {
        match workers.migration_tag(worker) {
            Ok(now) if now != point.migration_tag => {
                let _ = writeln!(
                    out,
                    "not restored: Durable Object migrations moved from tag {} to {}; no rollback undoes them",
                    or_none(point.migration_tag.as_ref()),
                    or_none(now.as_ref())
                );
            }
            Ok(_) => {}
            Err(error) => {
                let _ = writeln!(out, "not restored: Durable Object migrations unknown ({error})");
            }
        }
    }
    out
}

/// Says why a rollback is forced: what `wrangler rollback` does in the same case.
pub(super) fn secrets_changed_note(error: &crate::remote::CallError) {
    eprintln!(
        "note: the API refused the rollback because the worker's secrets changed since that version ({error}); deploying it anyway with ?force=true, as `wrangler rollback` does. The secrets stay as they are now."
    );
}
