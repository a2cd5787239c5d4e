//! The Workers API calls a deploy and a rollback make, one blocking call at a time.
//!
//! Each call gets a fresh [`Client`]: the client remembers answers for a run, and a deploy reads
//! the same deployments list before and after wrangler changes it.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::remote::{CallError, Client, RemoteOptions};

/// The API's "this worker does not exist" code.
const SCRIPT_NOT_FOUND: i64 = 10007;

/// The API's refusal to deploy a version whose secrets differ from the worker's.
pub const SECRETS_CHANGED: i64 = 10220;

/// One worker of one account, reached with the credentials from the environment.
pub struct Workers {
    options: RemoteOptions,
    account_id: String,
}

/// The deployment serving a worker, and its main version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveDeployment {
    /// The deployment id.
    pub deployment_id: String,
    /// The version with the largest share of traffic.
    pub version_id: String,
    /// Every version of the deployment with its percentage.
    pub versions: Vec<(String, f64)>,
}

/// A binding of a version: its name and type. Values are never kept, so a secret cannot leak
/// through a rollback point or a report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BindingName {
    /// The name the code reads.
    pub name: String,
    /// The API's type, e.g. `kv_namespace`, `plain_text`, `secret_text`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A digest of the binding's other fields (the resource it points at, a var's value), so a
    /// binding that now points elsewhere is seen as changed without showing what it holds.
    pub digest: String,
}

impl Workers {
    /// The API as the environment's credentials reach it, for `account_id`.
    #[must_use]
    pub fn new(options: RemoteOptions, account_id: String) -> Self {
        Self { options, account_id }
    }

    /// The account.
    #[must_use]
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    fn call<T>(
        &self,
        work: impl AsyncFnOnce(&Client, String) -> Result<T, CallError>,
    ) -> Result<T, CallError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| CallError::Unreachable(error.to_string()))?;
        let client = Client::new(self.options.credentials.clone(), self.options.client.clone())?;
        let base = format!("/accounts/{}/workers/scripts", self.account_id);
        runtime.block_on(work(&client, base))
    }

    /// The deployment serving `worker`; `None` when the worker does not exist yet.
    ///
    /// # Errors
    /// When the API cannot be asked or refuses.
    pub fn active_deployment(&self, worker: &str) -> Result<Option<ActiveDeployment>, CallError> {
        let path = format!("/{}/deployments", encode(worker));
        let answer = match self.call(async |client, base| client.get(&(base + &path)).await) {
            Ok(answer) => answer,
            Err(error) if error.is_not_found(&[SCRIPT_NOT_FOUND]) => return Ok(None),
            Err(error) => return Err(error),
        };
        let newest =
            answer.result.get("deployments").and_then(Value::as_array).and_then(|d| d.first());
        let Some(newest) = newest else { return Ok(None) };
        let versions: Vec<(String, f64)> = newest
            .get("versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|share| {
                let id = share.get("version_id")?.as_str()?.to_owned();
                Some((id, share.get("percentage").and_then(Value::as_f64).unwrap_or(0.0)))
            })
            .collect();
        let Some((version_id, _)) = versions.iter().max_by(|a, b| a.1.total_cmp(&b.1)).cloned()
        else {
            return Err(CallError::InvalidBody(
                "the newest deployment lists no version".to_owned(),
            ));
        };
        let deployment_id = newest.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        Ok(Some(ActiveDeployment { deployment_id, version_id, versions }))
    }

    /// The Durable Object migration tag of `worker`; `None` when it has none or does not exist.
    ///
    /// # Errors
    /// When the API cannot be asked or refuses.
    pub fn migration_tag(&self, worker: &str) -> Result<Option<String>, CallError> {
        let answer = self.call(async |client, base| client.get(&base).await)?;
        let scripts = answer.result.as_array().cloned().unwrap_or_default();
        Ok(scripts
            .iter()
            .find(|script| script.get("id").and_then(Value::as_str) == Some(worker))
            .and_then(|script| script.get("migration_tag"))
            .and_then(Value::as_str)
            .filter(|tag| !tag.is_empty())
            .map(str::to_owned))
    }

    /// The bindings of one version of `worker`, by name and type.
    ///
    /// # Errors
    /// When the API cannot be asked, refuses, or does not know the version.
    pub fn version_bindings(
        &self,
        worker: &str,
        version: &str,
    ) -> Result<Vec<BindingName>, CallError> {
        let path = format!("/{}/versions/{}", encode(worker), encode(version));
        let answer = self.call(async |client, base| client.get(&(base + &path)).await)?;
        let bindings = answer.result.pointer("/resources/bindings").and_then(Value::as_array);
        Ok(binding_names(bindings.map_or(&[][..], Vec::as_slice)))
    }

    /// Sends 100% of `worker`'s traffic to `version`, as `wrangler rollback` does; `force`
    /// deploys it even though its secrets differ from the worker's.
    ///
    /// # Errors
    /// When the API refuses (code [`SECRETS_CHANGED`] without `force`) or cannot be reached.
    pub fn deploy_version(
        &self,
        worker: &str,
        version: &str,
        message: &str,
        force: bool,
    ) -> Result<(), CallError> {
        let query = if force { "?force=true" } else { "" };
        let path = format!("/{}/deployments{query}", encode(worker));
        let body = json!({
            "strategy": "percentage",
            "versions": [{ "version_id": version, "percentage": 100 }],
            "annotations": { "workers/message": message },
        });
        self.call(async |client, base| client.post(&(base + &path), &body).await).map(drop)
    }
}

/// Names, types and digests of the API's bindings, sorted.
#[must_use]
pub fn binding_names(bindings: &[Value]) -> Vec<BindingName> {
    use sha2::Digest as _;
    let mut names: Vec<BindingName> = bindings
        .iter()
        .filter_map(|binding| {
            let name = binding.get("name")?.as_str()?.to_owned();
            let kind = binding.get("type")?.as_str()?.to_owned();
            let mut rest = binding.as_object()?.clone();
            rest.remove("name");
            // Even a short digest of a secret's value could be guessed from; secrets are
            // compared by name alone.
            if kind.starts_with("secret") {
                rest.clear();
            }
            let digest = sha2::Sha256::digest(Value::Object(rest).to_string().as_bytes());
            let digest = digest.iter().take(6).fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            });
            Some(BindingName { name, kind, digest })
        })
        .collect();
    names.sort();
    names
}

fn encode(text: &str) -> String {
    crate::render::percent_encode(text, b"")
}
