//! The stdio protocol: JSON-RPC 2.0, one message a line, for tools and editors that drive
//! atom-sage without the Node addon. `atom-sage serve --stdio` reads requests from stdin and
//! writes responses to stdout; logs go to stderr. docs/protocol.md describes every method.
//!
//! Requests are answered one at a time, in the order they arrive. A notification (no `id`) gets
//! no answer, not even an error. A batch (an array of requests) gets an array of answers.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::project::ConfigFormat;
use crate::{CheckError, Options};

/// The protocol's version; a client can refuse a server whose major version differs.
pub const PROTOCOL_VERSION: &str = "1.0";

/// The numbered errors, JSON-RPC's own first.
pub mod code {
    /// The line is not JSON.
    pub const PARSE_ERROR: i64 = -32700;
    /// JSON, but not a JSON-RPC 2.0 request.
    pub const INVALID_REQUEST: i64 = -32600;
    /// No such method.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// The params do not match the method.
    pub const INVALID_PARAMS: i64 = -32602;
    /// atom-sage failed in a way it did not expect.
    pub const INTERNAL_ERROR: i64 = -32603;
    /// A method other than `initialize` came before `initialize`.
    pub const NOT_INITIALIZED: i64 = -32002;
    /// No project at the path, or a file of it cannot be read.
    pub const PROJECT_NOT_FOUND: i64 = 1001;
    /// The environment asked for is not declared in the config.
    pub const UNKNOWN_ENVIRONMENT: i64 = 1002;
    /// The config does not parse, so the method cannot read it (`validate` reports this as a
    /// finding instead).
    pub const CONFIG_DOES_NOT_PARSE: i64 = 1003;
    /// The trail cannot be read or written, or an entry to append is refused.
    pub const TRAIL_ERROR: i64 = 1004;
}

/// The methods this version answers, as `initialize` lists them.
const METHODS: &[&str] = &[
    "initialize",
    "validate",
    "checkConfig",
    "diff",
    "parseIntent",
    "trail/append",
    "trail/verify",
    "trail/list",
    "shutdown",
];

/// A failed request: a code from [`code`], a message, and sometimes data.
#[derive(Debug)]
struct RpcError {
    code: i64,
    message: String,
    data: Option<Value>,
}

impl RpcError {
    fn new(code: i64, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), data: None }
    }
}

impl RpcError {
    /// An environment that is not declared, with the ones that are as `data.available`.
    fn unknown_environment(error: &impl std::fmt::Display, available: &[String]) -> Self {
        Self {
            code: code::UNKNOWN_ENVIRONMENT,
            message: error.to_string(),
            data: Some(json!({ "available": available })),
        }
    }
}

impl From<CheckError> for RpcError {
    fn from(error: CheckError) -> Self {
        match &error {
            CheckError::Load(_) => Self::new(code::PROJECT_NOT_FOUND, error.to_string()),
            CheckError::UnknownEnvironment { available, .. } => {
                Self::unknown_environment(&error, available)
            }
        }
    }
}

impl From<crate::diff::DiffError> for RpcError {
    fn from(error: crate::diff::DiffError) -> Self {
        use crate::diff::DiffError;
        match &error {
            DiffError::Load(_) => Self::new(code::PROJECT_NOT_FOUND, error.to_string()),
            DiffError::Parse { .. } => Self::new(code::CONFIG_DOES_NOT_PARSE, error.to_string()),
            DiffError::UnknownEnvironment { available, .. } => {
                Self::unknown_environment(&error, available)
            }
        }
    }
}

impl From<crate::trail::TrailError> for RpcError {
    fn from(error: crate::trail::TrailError) -> Self {
        let code = match error {
            crate::trail::TrailError::NoProject(_) => code::PROJECT_NOT_FOUND,
            _ => code::TRAIL_ERROR,
        };
        Self::new(code, error.to_string())
    }
}

/// A session: whether `initialize` came, and whether `shutdown` ended it.
#[derive(Default)]
struct Session {
    initialized: bool,
    done: bool,
}

/// Serves requests from `input` until it ends or a `shutdown` request is answered.
///
/// # Errors
/// When reading `input` or writing `output` fails.
pub fn serve(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let mut session = Session::default();
    for line in input.split(b'\n') {
        let line = line?;
        let answer = match std::str::from_utf8(&line) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => session.answer_line(text),
            // One bad line is answered as unreadable; the session goes on.
            Err(error) => Some(failure(
                Value::Null,
                &RpcError::new(code::PARSE_ERROR, format!("not UTF-8: {error}")),
            )),
        };
        if let Some(answer) = answer {
            let mut text = serde_json::to_string(&answer).unwrap_or_default();
            text.push('\n');
            crate::stdio::write_all(&mut output, text.as_bytes())?;
        }
        if session.done {
            break;
        }
    }
    Ok(())
}

impl Session {
    /// The answer to one line: a response, an array of them, or nothing for notifications.
    fn answer_line(&mut self, line: &str) -> Option<Value> {
        let message: Value = match serde_json::from_str(line) {
            Ok(message) => message,
            Err(error) => {
                let error = RpcError::new(code::PARSE_ERROR, format!("not JSON: {error}"));
                return Some(failure(Value::Null, &error));
            }
        };
        match message {
            Value::Array(batch) if batch.is_empty() => {
                Some(failure(Value::Null, &RpcError::new(code::INVALID_REQUEST, "an empty batch")))
            }
            Value::Array(batch) => {
                let answers: Vec<Value> =
                    batch.into_iter().filter_map(|request| self.answer(request)).collect();
                (!answers.is_empty()).then_some(Value::Array(answers))
            }
            request => self.answer(request),
        }
    }

    /// The answer to one request, `None` for a notification.
    fn answer(&mut self, request: Value) -> Option<Value> {
        let Value::Object(mut request) = request else {
            let error = RpcError::new(code::INVALID_REQUEST, "a request must be a JSON object");
            return Some(failure(Value::Null, &error));
        };
        let id = request.remove("id");
        let notification = id.is_none();
        let id = id.unwrap_or(Value::Null);
        if !matches!(id, Value::Null | Value::Number(_) | Value::String(_)) {
            let error = RpcError::new(code::INVALID_REQUEST, "`id` must be a number or a string");
            return Some(failure(Value::Null, &error));
        }
        let outcome = match (request.remove("jsonrpc"), request.remove("method")) {
            (Some(Value::String(version)), Some(Value::String(method))) if version == "2.0" => {
                let params = request.remove("params").unwrap_or(Value::Null);
                self.call(&method, params)
            }
            _ => Err(RpcError::new(
                code::INVALID_REQUEST,
                "a request needs \"jsonrpc\": \"2.0\" and a string \"method\"",
            )),
        };
        if notification {
            return None;
        }
        Some(match outcome {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            Err(error) => failure(id, &error),
        })
    }

    /// Runs a method. A panic inside a check becomes an internal error, not a dead server.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, RpcError> {
        if method != "initialize" && !self.initialized {
            return Err(RpcError::new(code::NOT_INITIALIZED, "call `initialize` first"));
        }
        let run = std::panic::AssertUnwindSafe(|| self.dispatch(method, params));
        std::panic::catch_unwind(run).unwrap_or_else(|_| {
            tracing::error!(method, "a method panicked");
            Err(RpcError::new(code::INTERNAL_ERROR, format!("`{method}` failed unexpectedly")))
        })
    }

    fn dispatch(&mut self, method: &str, params: Value) -> Result<Value, RpcError> {
        match method {
            "initialize" => {
                self.initialized = true;
                Ok(json!({
                    "protocolVersion": PROTOCOL_VERSION,
                    "serverInfo": { "name": "atom-sage", "version": crate::VERSION },
                    "capabilities": { "methods": METHODS },
                }))
            }
            "validate" => {
                let params: ValidateParams = parse_params(params)?;
                let report =
                    crate::check(&params.path, &Options { env: params.env, ..Options::default() })?;
                Ok(crate::render::to_value(&report))
            }
            "checkConfig" => {
                let params: CheckConfigParams = parse_params(params)?;
                let format = ConfigFormat::parse(&params.format).ok_or_else(|| {
                    RpcError::new(
                        code::INVALID_PARAMS,
                        format!("format `{}`: expected toml, json or jsonc", params.format),
                    )
                })?;
                let options = Options { env: params.env, ..Options::default() };
                let report =
                    crate::check_text(&params.text, format, params.directory.as_deref(), &options)?;
                Ok(crate::render::to_value(&report))
            }
            "shutdown" => {
                self.done = true;
                Ok(Value::Null)
            }
            "diff" => {
                let params: DiffParams = parse_params(params)?;
                let diff = crate::diff::diff(&params.path, &params.left, &params.right)?;
                Ok(to_value(&diff))
            }
            "parseIntent" => {
                let params: IntentParams = parse_params(params)?;
                let environments = match &params.path {
                    Some(path) => {
                        let project = crate::Project::load(path)
                            .map_err(|error| RpcError::from(CheckError::from(error)))?;
                        Some(project.environment_names().ok_or_else(|| {
                            RpcError::new(
                                code::CONFIG_DOES_NOT_PARSE,
                                format!("{}: the config does not parse", project.config.display),
                            )
                        })?)
                    }
                    None => None,
                };
                let intent = crate::intent::parse_line(&params.text, environments.as_deref())
                    .map_err(|error| RpcError::new(code::INVALID_PARAMS, error.to_string()))?;
                Ok(to_value(&intent))
            }
            "trail/append" => {
                let params: TrailAppendParams = parse_params(params)?;
                let directory = crate::trail::project_directory(&params.path)?;
                Ok(to_value(&crate::trail::append(&directory, params.entry)?))
            }
            "trail/verify" => {
                let params: PathParams = parse_params(params)?;
                let directory = crate::trail::project_directory(&params.path)?;
                Ok(to_value(&crate::trail::verify(&directory)?))
            }
            "trail/list" => {
                let params: PathParams = parse_params(params)?;
                let directory = crate::trail::project_directory(&params.path)?;
                Ok(to_value(&crate::trail::read(&directory)?))
            }
            other => Err(RpcError::new(code::METHOD_NOT_FOUND, format!("no method `{other}`"))),
        }
    }
}

/// `validate`: a project path, and optionally one environment.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateParams {
    path: PathBuf,
    env: Option<String>,
}

/// `checkConfig`: a config's text and format; files are read around `directory` when given.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckConfigParams {
    text: String,
    format: String,
    env: Option<String>,
    directory: Option<PathBuf>,
}

/// `diff`: a project path and the two environments (`top` is the top level).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffParams {
    path: PathBuf,
    left: String,
    right: String,
}

/// `parseIntent`: the line (`DEPLOY "…"`), and a project to match environment names against.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentParams {
    text: String,
    path: Option<PathBuf>,
}

/// `trail/append`: the project and the entry; the trail fills in tag, time, who and hashes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrailAppendParams {
    path: PathBuf,
    entry: crate::trail::NewEntry,
}

/// `trail/verify` and `trail/list`: the project.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathParams {
    path: PathBuf,
}

fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn parse_params<T: DeserializeOwned>(params: Value) -> Result<T, RpcError> {
    serde_json::from_value(params)
        .map_err(|error| RpcError::new(code::INVALID_PARAMS, format!("invalid params: {error}")))
}

fn failure(id: Value, error: &RpcError) -> Value {
    let mut body = json!({ "code": error.code, "message": error.message });
    if let Some(data) = &error.data {
        body["data"] = data.clone();
    }
    let mut response = json!({ "jsonrpc": "2.0", "error": body });
    response["id"] = id;
    response
}
