//! The Node addon: the same checks, returned as plain typed objects.
//!
//! `index.js` and `index.d.ts` are generated from this file by `napi build`; the doc comments
//! here become the `JSDoc` of the TypeScript declarations.

use std::path::PathBuf;

use napi::bindgen_prelude::{AsyncTask, Either, Null};
use napi::{Env, Task};
use napi_derive::napi;

use crate::project::ConfigFormat;
use crate::render::JsonDiagnostic;
use crate::{CheckError, Options, Report};

/// A value or JavaScript `null`, as the JSON report writes absent values. Fields spell the
/// `Either` out: the declarations generator does not see through aliases.
type Nullable<T> = Either<T, Null>;

fn nullable<T>(value: Option<T>) -> Nullable<T> {
    value.map_or(Either::B(Null), Either::A)
}

/// Options for {@link validate}.
#[napi(object)]
pub struct ValidateOptions {
    /// Check only the top level and this environment; every environment when absent.
    pub env: Option<String>,
}

/// One finding.
#[napi(object)]
pub struct Diagnostic {
    /// The permanent code of the check, e.g. `KV001`.
    pub code: String,
    /// The kebab-case name of the check.
    pub name: String,
    /// How serious it is.
    #[napi(ts_type = "'error' | 'warning' | 'info'")]
    pub severity: String,
    /// The service the check is about.
    #[napi(
        ts_type = "'config' | 'code' | 'compat' | 'environments' | 'kv' | 'd1' | 'r2' | 'durable_objects' | 'queues' | 'services' | 'hyperdrive' | 'vars' | 'secrets' | 'routes' | 'triggers' | 'containers' | 'limits' | 'settings' | 'account'"
    )]
    pub service: String,
    /// The environment; `null` for the top level.
    pub env: Either<String, Null>,
    /// The binding or variable concerned.
    pub binding: Either<String, Null>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Either<String, Null>,
    /// Why it matters.
    pub note: Either<String, Null>,
    /// The file, relative to the working directory where possible.
    pub file: Either<String, Null>,
    /// First line, from 1.
    pub line: Either<u32, Null>,
    /// First column, from 1.
    pub column: Either<u32, Null>,
    /// Last line.
    pub end_line: Either<u32, Null>,
    /// Column past the end.
    pub end_column: Either<u32, Null>,
}

/// An environment that was checked.
#[napi(object)]
pub struct CheckedEnvironment {
    /// The environment's name; `null` for the top level.
    pub name: Either<String, Null>,
    /// The worker name it deploys as.
    pub worker: Either<String, Null>,
}

/// Counts of findings by severity.
#[napi(object)]
pub struct Summary {
    /// Findings at error level.
    pub errors: u32,
    /// Findings at warning level.
    pub warnings: u32,
    /// Findings at info level.
    pub infos: u32,
    /// Account checks that could not be made (always 0: the addon checks offline, and a diff
    /// has none).
    pub unknown: u32,
}

/// The result of checking a project.
#[napi(object)]
pub struct ValidationReport {
    /// The atom-sage version.
    pub version: String,
    /// The layout version of this report.
    pub schema: u32,
    /// The config file checked.
    pub config: String,
    /// The environments checked, the top level first.
    pub environments: Vec<CheckedEnvironment>,
    /// The findings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts by severity.
    pub summary: Summary,
    /// How many findings the settings file suppressed.
    pub suppressed: u32,
}

fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl From<Report> for ValidationReport {
    fn from(report: Report) -> Self {
        ValidationReport {
            version: report.version.to_owned(),
            schema: report.schema,
            config: report.config,
            environments: report
                .environments
                .into_iter()
                .map(|env| CheckedEnvironment {
                    name: nullable(env.name),
                    worker: nullable(env.worker),
                })
                .collect(),
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| Diagnostic::from(JsonDiagnostic::from(d)))
                .collect(),
            summary: Summary {
                errors: count(report.summary.errors),
                warnings: count(report.summary.warnings),
                infos: count(report.summary.infos),
                unknown: count(report.summary.unknown),
            },
            suppressed: count(report.suppressed),
        }
    }
}

impl From<JsonDiagnostic> for Diagnostic {
    fn from(d: JsonDiagnostic) -> Self {
        Diagnostic {
            code: d.code.to_owned(),
            name: d.name.to_owned(),
            severity: d.severity.as_str().to_owned(),
            service: d.service.as_str().to_owned(),
            env: nullable(d.env),
            binding: nullable(d.binding),
            message: d.message,
            help: nullable(d.help),
            note: nullable(d.note),
            file: nullable(d.file),
            line: nullable(d.line),
            column: nullable(d.column),
            end_line: nullable(d.end_line),
            end_column: nullable(d.end_column),
        }
    }
}

fn to_napi_error(error: &CheckError) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, error.to_string())
}

/// What a check task reads: a project on disk, or a config held in memory.
enum Source {
    Path(PathBuf),
    Text { text: String, format: ConfigFormat, directory: Option<PathBuf> },
}

/// Checks a project off the main thread.
pub struct ValidateTask {
    source: Source,
    options: Options,
}

impl Task for ValidateTask {
    type Output = Report;
    type JsValue = ValidationReport;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        match &self.source {
            Source::Path(path) => crate::check(path, &self.options),
            Source::Text { text, format, directory } => {
                crate::check_text(text, *format, directory.as_deref(), &self.options)
            }
        }
        .map_err(|error| to_napi_error(&error))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output.into())
    }
}

/// Checks the Workers project found from `path` (a directory searched upward for
/// `wrangler.json`, `wrangler.jsonc` or `wrangler.toml`, or a config file) in every
/// environment, or only in `options.env`. Runs on a worker thread; the promise rejects when no
/// config is found or the environment is not declared.
#[napi(ts_return_type = "Promise<ValidationReport>")]
pub fn validate(path: String, options: Option<ValidateOptions>) -> AsyncTask<ValidateTask> {
    let env = options.and_then(|o| o.env);
    AsyncTask::new(ValidateTask {
        source: Source::Path(PathBuf::from(path)),
        options: Options { env, ..Options::default() },
    })
}

/// Options for {@link checkConfig}.
#[napi(object)]
pub struct CheckConfigOptions {
    /// Check only the top level and this environment; every environment when absent.
    pub env: Option<String>,
    /// Read the code, migrations and settings around the config as if it were a file in this
    /// directory. Without it only the config itself is checked.
    pub directory: Option<String>,
}

/// Checks a config held in memory, written in `format`. Findings point at lines of `text`, in
/// a file named `wrangler.<format>`. Runs on a worker thread; the promise rejects when
/// `options.directory` does not exist or the environment is not declared.
#[napi(ts_return_type = "Promise<ValidationReport>")]
#[allow(clippy::needless_pass_by_value, reason = "N-API hands arguments over owned")]
pub fn check_config(
    text: String,
    #[napi(ts_arg_type = "'toml' | 'json' | 'jsonc'")] format: String,
    options: Option<CheckConfigOptions>,
) -> napi::Result<AsyncTask<ValidateTask>> {
    let format = ConfigFormat::parse(&format).ok_or_else(|| {
        napi::Error::new(
            napi::Status::InvalidArg,
            format!("format `{format}`: expected 'toml', 'json' or 'jsonc'"),
        )
    })?;
    let (env, directory) = options.map_or((None, None), |o| (o.env, o.directory));
    Ok(AsyncTask::new(ValidateTask {
        source: Source::Text { text, format, directory: directory.map(PathBuf::from) },
        options: Options { env, ..Options::default() },
    }))
}

/// Runs the `atom-sage` command line with `args` (without the program name) in this process and
/// returns its exit code. It prints to the process's stdout and stderr and blocks until the
/// command ends; the package's `atom-sage` bin is this call.
#[napi]
pub fn run_cli(args: Vec<String>) -> u32 {
    crate::wrangler::INSIDE_NODE.store(true, std::sync::atomic::Ordering::Relaxed);
    let program = std::iter::once("atom-sage".to_owned());
    u32::from(crate::cli::main(program.chain(args)))
}

fn reject(error: &impl std::fmt::Display) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, error.to_string())
}

/// The `snake_case` name serde gives a unit enum variant, for the string unions below.
fn variant_name(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// One side of an environment comparison.
#[napi(object)]
pub struct DiffSide {
    /// The environment's name; `null` for the top level.
    pub name: Either<String, Null>,
    /// As reports show it: `top level` or `env.NAME`.
    pub label: String,
    /// The worker name it deploys as.
    pub worker: Either<String, Null>,
    /// Whether it is treated as production.
    pub production: bool,
}

/// One thing either environment may have.
#[napi(object)]
pub struct DiffRow {
    /// The part of the config.
    #[napi(
        ts_type = "'worker' | 'binding' | 'var' | 'secret' | 'route' | 'compatibility' | 'trigger'"
    )]
    pub section: String,
    /// The config key, e.g. `kv_namespaces`, `vars`, `routes`.
    pub kind: String,
    /// The binding, var or secret name, route pattern or cron.
    pub name: String,
    /// The first environment's value; `null` when it does not have it. Secret-looking values
    /// are redacted.
    pub left: Either<String, Null>,
    /// The second environment's value.
    pub right: Either<String, Null>,
    /// How the two compare.
    #[napi(ts_type = "'same' | 'differs' | 'only_left' | 'only_right'")]
    pub state: String,
}

/// What a comparison found.
#[napi(object)]
pub struct DiffFinding {
    /// How serious.
    #[napi(ts_type = "'error' | 'warning' | 'info'")]
    pub severity: String,
    /// What kind.
    #[napi(
        ts_type = "'shared_resource' | 'same_worker' | 'missing' | 'compatibility_differs' | 'debug_in_production'"
    )]
    pub kind: String,
    /// A sentence saying what.
    pub message: String,
}

/// Two environments compared side by side.
#[napi(object)]
pub struct EnvironmentDiff {
    /// The atom-sage version.
    pub version: String,
    /// The config file.
    pub config: String,
    /// The first environment.
    pub left: DiffSide,
    /// The second environment.
    pub right: DiffSide,
    /// Everything either side has, by section.
    pub rows: Vec<DiffRow>,
    /// Errors first, then warnings, then info.
    pub findings: Vec<DiffFinding>,
    /// Counts by severity.
    pub summary: Summary,
}

fn side(side: crate::diff::Side) -> DiffSide {
    DiffSide {
        name: nullable(side.name),
        label: side.label,
        worker: nullable(side.worker),
        production: side.production,
    }
}

impl From<crate::diff::EnvironmentDiff> for EnvironmentDiff {
    fn from(diff: crate::diff::EnvironmentDiff) -> Self {
        EnvironmentDiff {
            version: diff.version.to_owned(),
            config: diff.config,
            left: side(diff.left),
            right: side(diff.right),
            rows: diff
                .rows
                .into_iter()
                .map(|row| DiffRow {
                    section: variant_name(&row.section),
                    kind: row.kind,
                    name: row.name,
                    left: nullable(row.left),
                    right: nullable(row.right),
                    state: variant_name(&row.state),
                })
                .collect(),
            findings: diff
                .findings
                .into_iter()
                .map(|finding| DiffFinding {
                    severity: finding.severity.as_str().to_owned(),
                    kind: variant_name(&finding.kind),
                    message: finding.message,
                })
                .collect(),
            summary: Summary {
                errors: count(diff.summary.errors),
                warnings: count(diff.summary.warnings),
                infos: count(diff.summary.infos),
                unknown: count(diff.summary.unknown),
            },
        }
    }
}

/// Compares two environments of the project found from `path` (`top` is the top level):
/// bindings, resource ids, vars, secret names, routes, compatibility settings and triggers, with
/// findings for what is shared, missing on one side, or different where it should not be.
#[napi]
#[allow(clippy::needless_pass_by_value, reason = "N-API hands arguments over owned")]
pub fn diff_environments(
    path: String,
    left: String,
    right: String,
) -> napi::Result<EnvironmentDiff> {
    crate::diff::diff(std::path::Path::new(&path), &left, &right)
        .map(EnvironmentDiff::from)
        .map_err(|error| reject(&error))
}

/// A check an intent's CTFWI clause selects.
#[napi(object)]
pub struct IntentCheck {
    /// What kind of check.
    #[napi(ts_type = "'all_services' | 'service' | 'parity' | 'dry_run'")]
    pub kind: String,
    /// For `service`: the service's name as reports write it.
    pub service: Either<String, Null>,
    /// For `parity`: the environment compared from.
    pub from: Either<String, Null>,
    /// For `parity`: the environment compared with.
    pub to: Either<String, Null>,
}

/// What a user said they are about to do, parsed.
#[napi(object)]
pub struct Intent {
    /// The action in upper case, e.g. `DEPLOY`; an unknown verb is kept as given.
    pub action: String,
    /// Whether atom-sage knows the action.
    pub known_action: bool,
    /// The description as given.
    pub text: String,
    /// The worker named.
    pub worker: Either<String, Null>,
    /// The version named, as written (`v2.3`).
    pub version: Either<String, Null>,
    /// The environment, as the config declares it when a project was given.
    pub environment: Either<String, Null>,
    /// The environment as written, when it differs or matched nothing.
    pub environment_written: Either<String, Null>,
    /// The environment a promotion or comparison starts from.
    pub from_environment: Either<String, Null>,
    /// The CTFWI clause, as written.
    pub ctfwi: Either<String, Null>,
    /// The checks the clause selects, in its order.
    pub checks: Vec<IntentCheck>,
    /// Every part that could not be understood.
    pub warnings: Vec<String>,
}

impl From<crate::intent::Intent> for Intent {
    fn from(intent: crate::intent::Intent) -> Self {
        use crate::intent::Selection;
        let checks = intent
            .checks
            .into_iter()
            .map(|check| {
                let kind = match &check {
                    Selection::AllServices => "all_services",
                    Selection::Service { .. } => "service",
                    Selection::Parity { .. } => "parity",
                    Selection::DryRun => "dry_run",
                };
                let (service, from, to) = match check {
                    Selection::Service { service } => (Some(service), None, None),
                    Selection::Parity { from, to } => (None, Some(from), Some(to)),
                    Selection::AllServices | Selection::DryRun => (None, None, None),
                };
                IntentCheck {
                    kind: kind.to_owned(),
                    service: nullable(service),
                    from: nullable(from),
                    to: nullable(to),
                }
            })
            .collect();
        Intent {
            action: intent.action,
            known_action: intent.known_action,
            text: intent.text,
            worker: nullable(intent.worker),
            version: nullable(intent.version),
            environment: nullable(intent.environment),
            environment_written: nullable(intent.environment_written),
            from_environment: nullable(intent.from_environment),
            ctfwi: nullable(intent.ctfwi),
            checks,
            warnings: intent.warnings,
        }
    }
}

/// Options for {@link parseIntent}.
#[napi(object)]
pub struct ParseIntentOptions {
    /// A project whose environment names the intent's environment is matched against.
    pub path: Option<String>,
}

/// Parses an intent as users write it, `DEPLOY "Deploy user-auth worker v2.3 to production -
/// CTFWI: Validate all services"`: the action, worker, version, environment and the checks the
/// CTFWI clause asks for. Throws when the line has no action.
#[napi]
#[allow(clippy::needless_pass_by_value, reason = "N-API hands arguments over owned")]
pub fn parse_intent(text: String, options: Option<ParseIntentOptions>) -> napi::Result<Intent> {
    let environments = match options.and_then(|o| o.path) {
        Some(path) => {
            let project = crate::Project::load(std::path::Path::new(&path))
                .map_err(|error| reject(&error))?;
            let names = project.environment_names().ok_or_else(|| {
                reject(&format!("{}: the config does not parse", project.config.display))
            })?;
            Some(names)
        }
        None => None,
    };
    crate::intent::parse_line(&text, environments.as_deref())
        .map(Intent::from)
        .map_err(|error| reject(&error))
}

/// The worker versions on either side of an operation.
#[napi(object)]
pub struct TrailVersions {
    /// The version serving before.
    pub before: Either<String, Null>,
    /// The version serving after.
    pub after: Either<String, Null>,
}

/// The findings of the validation an entry records.
#[napi(object)]
pub struct TrailFindings {
    /// Error findings.
    pub errors: u32,
    /// Warning findings.
    pub warnings: u32,
    /// Info findings.
    pub infos: u32,
    /// Each code found, once, sorted.
    pub codes: Vec<String>,
}

/// One line of the audit trail, `.atom-sage/trail.jsonl`.
#[napi(object)]
pub struct TrailEntry {
    /// `ATOM-<ACTION>-YYYYMMDD-NNN`, unique in the file.
    pub tag: String,
    /// The tag of the `started` entry of the operation this entry belongs to.
    pub operation: String,
    /// When it was written, RFC 3339 in UTC.
    pub time: String,
    /// Who ran it: the project's git user, else the OS user.
    pub who: String,
    /// What the user said they meant to do, with secret-looking words redacted.
    pub intent: Either<String, Null>,
    /// `DEPLOY`, `ROLLBACK`, `CHECK`, ...
    pub action: String,
    /// The environment; `null` for the top level.
    pub environment: Either<String, Null>,
    /// The worker name.
    pub worker: Either<String, Null>,
    /// The versions before and after.
    pub version_ids: TrailVersions,
    /// The validation's findings, when one ran.
    pub findings: Either<TrailFindings, Null>,
    /// What happened.
    #[napi(ts_type = "'started' | 'succeeded' | 'failed' | 'rolled_back' | 'aborted' | 'forced'")]
    pub outcome: String,
    /// Why a deploy was forced or aborted, redacted.
    pub reason: Either<String, Null>,
    /// The command that undoes the operation.
    pub rollback_command: Either<String, Null>,
    /// The hash of the line before.
    pub prev_hash: String,
    /// SHA-256 of this entry without `hash`, chained to the line before.
    pub hash: String,
}

impl From<crate::trail::Entry> for TrailEntry {
    fn from(entry: crate::trail::Entry) -> Self {
        TrailEntry {
            tag: entry.tag,
            operation: entry.operation,
            time: entry.time,
            who: entry.who,
            intent: nullable(entry.intent),
            action: entry.action,
            environment: nullable(entry.environment),
            worker: nullable(entry.worker),
            version_ids: TrailVersions {
                before: nullable(entry.version_ids.before),
                after: nullable(entry.version_ids.after),
            },
            findings: nullable(entry.findings.map(|f| TrailFindings {
                errors: count(f.errors),
                warnings: count(f.warnings),
                infos: count(f.infos),
                codes: f.codes,
            })),
            outcome: entry.outcome.as_str().to_owned(),
            reason: nullable(entry.reason),
            rollback_command: nullable(entry.rollback_command),
            prev_hash: entry.prev_hash,
            hash: entry.hash,
        }
    }
}

/// What to append to the trail; it fills in the tag, time, who and the hashes.
#[napi(object)]
pub struct NewTrailEntry {
    /// The action, e.g. `DEPLOY`.
    pub action: String,
    /// What happened; `started` when absent.
    #[napi(ts_type = "'started' | 'succeeded' | 'failed' | 'rolled_back' | 'aborted' | 'forced'")]
    pub outcome: Option<String>,
    /// The tag of the `started` entry this outcome ends.
    pub operation: Option<String>,
    /// The user's intent (redacted before it is written).
    pub intent: Option<String>,
    /// The environment; absent for the top level.
    pub environment: Option<String>,
    /// The worker name.
    pub worker: Option<String>,
    /// The version serving before.
    pub version_before: Option<String>,
    /// The version serving after.
    pub version_after: Option<String>,
    /// Why (redacted before it is written).
    pub reason: Option<String>,
    /// The command that undoes the operation.
    pub rollback_command: Option<String>,
}

/// The first problem `verify` found.
#[napi(object)]
pub struct TrailProblem {
    /// The line number, from 1.
    pub line: u32,
    /// The line's tag, when it has one.
    pub tag: Either<String, Null>,
    /// What kind of problem.
    #[napi(ts_type = "'changed' | 'removed' | 'inserted' | 'reordered' | 'truncated'")]
    pub kind: String,
    /// A sentence saying what was found.
    pub message: String,
}

/// The result of recomputing the trail's hash chain.
#[napi(object)]
pub struct TrailVerification {
    /// The trail file.
    pub path: String,
    /// Whether the file exists.
    pub exists: bool,
    /// The number of complete lines read (a cut-off last line not included).
    pub entries: u32,
    /// The line number of a last line cut off by a crash; `null` when there is none.
    pub truncated_line: Either<u32, Null>,
    /// The hash of the last line; keep it elsewhere to notice lines removed from the end.
    pub head: Either<String, Null>,
    /// The first problem, in file order; `null` when the chain is intact.
    pub problem: Either<TrailProblem, Null>,
}

/// Appends an entry to the trail of the project found from `path` and returns it as written.
/// Safe to call from several processes at once: appends are locked and synced.
#[napi(namespace = "trail")]
#[allow(clippy::needless_pass_by_value, reason = "N-API hands arguments over owned")]
pub fn append(path: String, entry: NewTrailEntry) -> napi::Result<TrailEntry> {
    let outcome = match entry.outcome.as_deref() {
        None => None,
        Some(text) => Some(crate::trail::Outcome::parse(text).ok_or_else(|| {
            reject(&format!(
                "outcome `{text}`: expected started, succeeded, failed, rolled_back, aborted or forced"
            ))
        })?),
    };
    let new = crate::trail::NewEntry {
        action: entry.action,
        outcome,
        operation: entry.operation,
        intent: entry.intent,
        environment: entry.environment,
        worker: entry.worker,
        version_ids: crate::trail::VersionIds {
            before: entry.version_before,
            after: entry.version_after,
        },
        findings: None,
        reason: entry.reason,
        rollback_command: entry.rollback_command,
        who: None,
    };
    let directory = crate::trail::project_directory(std::path::Path::new(&path))
        .map_err(|error| reject(&error))?;
    crate::trail::append(&directory, new).map(TrailEntry::from).map_err(|error| reject(&error))
}

/// Recomputes the hash chain of the trail of the project found from `path`.
#[napi(namespace = "trail")]
#[allow(clippy::needless_pass_by_value, reason = "N-API hands arguments over owned")]
pub fn verify(path: String) -> napi::Result<TrailVerification> {
    let directory = crate::trail::project_directory(std::path::Path::new(&path))
        .map_err(|error| reject(&error))?;
    let verification = crate::trail::verify(&directory).map_err(|error| reject(&error))?;
    Ok(TrailVerification {
        path: verification.path,
        exists: verification.exists,
        entries: count(verification.entries),
        truncated_line: nullable(verification.truncated_line.map(count)),
        head: nullable(verification.head),
        problem: nullable(verification.problem.map(|problem| TrailProblem {
            line: count(problem.line),
            tag: nullable(problem.tag),
            kind: variant_name(&problem.kind),
            message: problem.message,
        })),
    })
}

/// Every complete entry of the trail of the project found from `path`, in file order.
#[napi(namespace = "trail")]
#[allow(clippy::needless_pass_by_value, reason = "N-API hands arguments over owned")]
pub fn list(path: String) -> napi::Result<Vec<TrailEntry>> {
    let directory = crate::trail::project_directory(std::path::Path::new(&path))
        .map_err(|error| reject(&error))?;
    let trail = crate::trail::read(&directory).map_err(|error| reject(&error))?;
    Ok(trail.entries.into_iter().map(TrailEntry::from).collect())
}

/// Runs the `atom` command line (`atom CHECK "…"`) with `args`, without the program name, in
/// this process, and returns its exit code; the package's `atom` bin is this call.
#[napi]
pub fn run_atom(args: Vec<String>) -> u32 {
    let program = std::iter::once("atom".to_owned());
    u32::from(crate::cli::atom_main(program.chain(args)))
}

/// What the package's bin is to do for `atom-sage wrangler ARGS`.
#[napi(object)]
pub struct WranglerPlan {
    /// End with this exit code without running wrangler (the checks failed, or atom-sage could
    /// not do its job); `null` to run wrangler.
    pub exit_code: Either<u32, Null>,
    /// The project's wrangler launcher to run.
    pub program: Either<String, Null>,
    /// Its arguments, `--validate` and `--no-validate` taken out.
    pub args: Vec<String>,
    /// The directory to run it in.
    pub cwd: Either<String, Null>,
}

/// Runs the checks `atom-sage wrangler ARGS` asks for (printing their report) and says whether
/// to run the project's wrangler, and how. The package's bin then starts wrangler from Node,
/// passing on SIGINT, SIGTERM and SIGHUP, which a call blocking Node's main thread cannot do.
#[napi]
pub fn plan_wrangler(args: Vec<String>) -> WranglerPlan {
    let args = args.into_iter().map(std::ffi::OsString::from).collect();
    match crate::cli::wrangler_plan(args) {
        Err(code) | Ok(crate::cli::wrangler::Plan::Stop(code)) => WranglerPlan {
            exit_code: Either::A(u32::from(code)),
            program: Either::B(Null),
            args: Vec::new(),
            cwd: Either::B(Null),
        },
        Ok(crate::cli::wrangler::Plan::Run { program, args, directory }) => WranglerPlan {
            exit_code: Either::B(Null),
            program: Either::A(program.to_string_lossy().into_owned()),
            args: args.iter().map(|arg| arg.to_string_lossy().into_owned()).collect(),
            cwd: Either::A(directory.to_string_lossy().into_owned()),
        },
    }
}
