//! The Node addon: the same checks, returned as plain typed objects.
//!
//! `index.js` and `index.d.ts` are generated from this file by `napi build`; the doc comments
//! here become the `JSDoc` of the TypeScript declarations.

use std::path::PathBuf;

use napi::bindgen_prelude::{AsyncTask, Either, Null};
use napi::{Env, Task};
use napi_derive::napi;

use crate::render::JsonDiagnostic;
use crate::{CheckError, Options, Report};

/// A value or JavaScript `null`, as the JSON report writes absent values.
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
    /// Account checks that could not be made (always 0: the addon checks offline).
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

/// Checks a project off the main thread.
pub struct ValidateTask {
    path: PathBuf,
    options: Options,
}

impl Task for ValidateTask {
    type Output = Report;
    type JsValue = ValidationReport;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        crate::check(&self.path, &self.options).map_err(|error| to_napi_error(&error))
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
        path: PathBuf::from(path),
        options: Options { env, ..Options::default() },
    })
}
