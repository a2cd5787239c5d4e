//! Workers as the server keeps them: versions with their bindings and secrets, deployments
//! with their shares of traffic, and how a state file's Worker becomes one.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::BuildError;
use crate::ids::{self, Clock};
use crate::state::{self, Secret};

/// A secret's current state: its type and how often it was set, so a rollback can tell which
/// secrets changed since a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSecret {
    /// `secret_text` or `secret_key`.
    pub kind: String,
    /// Increases every time the secret is set.
    pub generation: u64,
}

/// One uploaded module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The part name, e.g. `index.js`.
    pub name: String,
    /// Its content type, e.g. `application/javascript+module`.
    pub content_type: String,
    /// Its bytes.
    pub content: Vec<u8>,
}

/// One version of a Worker.
#[derive(Debug, Clone)]
pub struct ScriptVersion {
    /// The version id.
    pub id: String,
    /// 1-based, increasing.
    pub number: u32,
    /// When it was created.
    pub created_on: String,
    /// `metadata.source`.
    pub source: String,
    /// `workers/...` annotations.
    pub annotations: Map<String, Value>,
    /// Every binding in order, secrets as `{name, type}` only.
    pub bindings: Vec<Value>,
    /// The secrets the version runs with, by name.
    pub secrets: BTreeMap<String, StoredSecret>,
    /// The compatibility date.
    pub compatibility_date: String,
    /// Compatibility flags.
    pub compatibility_flags: Vec<String>,
    /// `standard`.
    pub usage_model: String,
    /// `{"cpu_ms": ...}` or null.
    pub limits: Value,
    /// Exported handlers.
    pub handlers: Vec<String>,
    /// The content hash.
    pub etag: String,
    /// The main module's name.
    pub main_module: String,
    /// Every module uploaded.
    pub modules: Vec<Module>,
}

/// One deployment of a Worker.
#[derive(Debug, Clone)]
pub struct ScriptDeployment {
    /// The deployment id.
    pub id: String,
    /// When it was created.
    pub created_on: String,
    /// Who made it (`wrangler`, `api`, ...).
    pub source: String,
    /// `workers/...` annotations.
    pub annotations: Map<String, Value>,
    /// Version ids with their percentages.
    pub versions: Vec<(String, f64)>,
}

/// A Worker script with its history.
#[derive(Debug, Clone)]
pub struct Script {
    /// The script name.
    pub name: String,
    /// The script tag.
    pub tag: String,
    /// When it was first uploaded.
    pub created_on: String,
    /// When it last changed.
    pub modified_on: String,
    /// Current secrets.
    pub secrets: BTreeMap<String, StoredSecret>,
    /// Logpush on or off.
    pub logpush: bool,
    /// The observability object, or null.
    pub observability: Value,
    /// Tags, or null.
    pub tags: Value,
    /// Tail consumers, or null.
    pub tail_consumers: Value,
    /// Reachable on workers.dev.
    pub workers_dev: bool,
    /// Previews reachable on workers.dev.
    pub previews_enabled: bool,
    /// Cron triggers as `{cron, created_on, modified_on}`.
    pub schedules: Vec<Value>,
    /// The Durable Object migration tag.
    pub migration_tag: Option<String>,
    /// Versions, oldest first.
    pub versions: Vec<ScriptVersion>,
    /// Deployments, oldest first.
    pub deployments: Vec<ScriptDeployment>,
}

impl Script {
    /// The number the next version gets.
    pub fn next_version_number(&self) -> u32 {
        self.versions.iter().map(|version| version.number).max().unwrap_or(0) + 1
    }

    /// The version serving most traffic in the newest deployment, else the newest version.
    pub fn current_version(&self) -> Option<&ScriptVersion> {
        let deployed = self.deployments.last().and_then(|deployment| {
            deployment.versions.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(id, _)| id)
        });
        deployed
            .and_then(|id| self.versions.iter().find(|version| &version.id == id))
            .or_else(|| self.versions.last())
    }
}

/// Binding types whose values are secret: the API shows only their names.
pub const SECRET_TYPES: [&str; 2] = ["secret_text", "secret_key"];

impl StoredSecret {
    /// A secret set once.
    pub fn first(kind: &str) -> StoredSecret {
        StoredSecret { kind: kind.to_owned(), generation: 1 }
    }
}

/// The content hash of a script's version, derived from its name and number.
pub fn etag(name: &str, number: u32) -> String {
    ids::hex32(&format!("etag:{name}:{number}")) + &ids::hex32(&format!("etag2:{name}:{number}"))
}

/// A Worker of the state file, with its versions and deployments laid out.
pub(super) fn script(
    input: &state::Worker,
    index: usize,
    clock: &mut Clock,
) -> Result<Script, BuildError> {
    let name = &input.name;
    let created_on = input.created_on.clone().unwrap_or_else(|| clock.tick());
    let mut secrets: BTreeMap<String, StoredSecret> = input
        .secrets
        .iter()
        .map(|secret| match secret {
            Secret::Name(name) => (name.clone(), StoredSecret::first("secret_text")),
            Secret::Full { name, kind, .. } => {
                (name.clone(), StoredSecret::first(kind.as_deref().unwrap_or("secret_text")))
            }
        })
        .collect();
    for binding in &input.bindings {
        let kind = binding["type"].as_str().unwrap_or_default();
        if let (Some(name), true) = (binding["name"].as_str(), SECRET_TYPES.contains(&kind)) {
            secrets.insert(name.to_owned(), StoredSecret::first(kind));
        }
    }
    // Secrets the bindings do not place come first.
    let with_secrets = |bindings: &[Value]| -> Vec<Value> {
        let mut all: Vec<Value> = secrets
            .iter()
            .filter(|(name, _)| !bindings.iter().any(|b| b["name"] == name.as_str()))
            .map(|(name, secret)| json!({ "name": name, "type": secret.kind }))
            .collect();
        all.extend(bindings.iter().cloned());
        all
    };
    let handlers = input.handlers.clone().unwrap_or_else(|| vec!["fetch".to_owned()]);
    let main_module = input.main_module.clone().unwrap_or_else(|| "index.js".to_owned());
    let content = input.content.clone().unwrap_or_else(|| {
        "export default { fetch() { return new Response(\"ok\"); } };\n".to_owned()
    });
    let module = Module {
        name: main_module.clone(),
        content_type: "application/javascript+module".to_owned(),
        content: content.into_bytes(),
    };

    let inputs = if input.versions.is_empty() {
        vec![state::Version::default()]
    } else {
        input.versions.clone()
    };
    let mut versions = Vec::new();
    for (position, version) in inputs.iter().enumerate() {
        let number = version.number.unwrap_or(position as u32 + 1);
        let mut annotations = Map::new();
        annotations.insert(
            "workers/triggered_by".to_owned(),
            json!(version.triggered_by.as_deref().unwrap_or("upload")),
        );
        if let Some(message) = &version.message {
            annotations.insert("workers/message".to_owned(), json!(message));
        }
        if let Some(tag) = &version.tag {
            annotations.insert("workers/tag".to_owned(), json!(tag));
        }
        versions.push(ScriptVersion {
            id: version
                .id
                .clone()
                .unwrap_or_else(|| ids::uuid(&format!("version:{name}:{number}"))),
            number,
            created_on: version.created_on.clone().unwrap_or_else(|| clock.tick()),
            source: version.source.clone().unwrap_or_else(|| "wrangler".to_owned()),
            annotations,
            bindings: with_secrets(version.bindings.as_deref().unwrap_or(&input.bindings)),
            secrets: secrets.clone(),
            compatibility_date: version
                .compatibility_date
                .clone()
                .or_else(|| input.compatibility_date.clone())
                .unwrap_or_else(|| "2025-01-01".to_owned()),
            compatibility_flags: input.compatibility_flags.clone(),
            usage_model: input.usage_model.clone().unwrap_or_else(|| "standard".to_owned()),
            limits: input.limits.clone().unwrap_or(Value::Null),
            handlers: handlers.clone(),
            etag: version.etag.clone().unwrap_or_else(|| etag(name, number)),
            main_module: main_module.clone(),
            modules: vec![module.clone()],
        });
    }

    let mut deployments = Vec::new();
    let deployment_inputs = if input.deployments.is_empty() {
        vec![state::Deployment {
            versions: vec![state::DeploymentVersion {
                version_id: versions.last().map(|version| version.id.clone()),
                percentage: 100.0,
                ..state::DeploymentVersion::default()
            }],
            triggered_by: Some("upload".to_owned()),
            ..state::Deployment::default()
        }]
    } else {
        input.deployments.clone()
    };
    for (position, deployment) in deployment_inputs.iter().enumerate() {
        let mut shares = Vec::new();
        for share in &deployment.versions {
            let found = versions.iter().find(|version| {
                share.version_id.as_deref() == Some(version.id.as_str())
                    || share.number == Some(version.number)
            });
            let Some(version) = found else {
                return Err(BuildError::Reference {
                    collection: "workers",
                    index,
                    message: format!(
                        "deployment {} names a version that `versions` does not have",
                        position + 1
                    ),
                });
            };
            shares.push((version.id.clone(), share.percentage));
        }
        let mut annotations = Map::new();
        if let Some(message) = &deployment.message {
            annotations.insert("workers/message".to_owned(), json!(message));
        }
        if let Some(triggered_by) = &deployment.triggered_by {
            annotations.insert("workers/triggered_by".to_owned(), json!(triggered_by));
        }
        deployments.push(ScriptDeployment {
            id: deployment
                .id
                .clone()
                .unwrap_or_else(|| ids::uuid(&format!("deployment:{name}:{}", position + 1))),
            created_on: deployment.created_on.clone().unwrap_or_else(|| clock.tick()),
            source: "wrangler".to_owned(),
            annotations,
            versions: shares,
        });
    }

    let schedules = input
        .schedules
        .iter()
        .map(|cron| json!({ "cron": cron, "created_on": created_on, "modified_on": created_on }))
        .collect();
    let modified_on = input.modified_on.clone().unwrap_or_else(|| {
        deployments.last().map_or_else(|| created_on.clone(), |d| d.created_on.clone())
    });
    Ok(Script {
        name: name.clone(),
        tag: input.tag.clone().unwrap_or_else(|| ids::hex32(&format!("script:{name}"))),
        created_on,
        modified_on,
        secrets,
        logpush: input.logpush,
        observability: input.observability.clone().unwrap_or(Value::Null),
        tags: input.tags.as_ref().map_or(Value::Null, |tags| json!(tags)),
        tail_consumers: input.tail_consumers.clone().unwrap_or(Value::Null),
        workers_dev: input.workers_dev.unwrap_or(true),
        previews_enabled: false,
        schedules,
        migration_tag: input.migration_tag.clone(),
        versions,
        deployments,
    })
}
