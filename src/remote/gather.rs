//! Fetching the account: the token is verified and the account chosen first, then every list
//! and every bound resource is fetched at once (a bounded pool of requests), each at most once.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::future::{join, join_all, join5};
use serde_json::{Value, json};

use super::client::{Client, encode};
use super::{
    CallError, CorsRule, Credentials, CustomDomain, DatabaseInfo, DnsRecord, Fetched, Listed,
    RemoteBucket, RemoteDatabase, RemoteError, RemoteOptions, RemoteWorker, RemoteZone,
    SchemaObject, Snapshot, Unknown, ZoneRoute,
};
use crate::checks::routes::routes;
use crate::config::{Environment, bindings::bindings};
use crate::resource_ids::is_hex_id;
use crate::syntax::Node;

/// The most zones whose routes are read besides those that serve a route of the config; the
/// routes of the rest are unknown.
const MAX_ZONES: usize = 50;

/// What the environments being checked need from the account.
#[derive(Debug, Default)]
struct Plan {
    account_id: Option<String>,
    kinds: BTreeSet<&'static str>,
    databases: BTreeMap<String, String>,
    /// Bound R2 buckets, each with its jurisdiction (`default` when none is set).
    buckets: BTreeMap<String, String>,
    workers: BTreeSet<String>,
    hosts: BTreeSet<String>,
}

impl Plan {
    fn of(environments: &[Environment<'_>]) -> Plan {
        let mut plan = Plan::default();
        for env in environments {
            if plan.account_id.is_none() {
                plan.account_id = env
                    .get("account_id")
                    .and_then(|f| f.node.as_str())
                    .filter(|id| is_hex_id(id))
                    .map(str::to_owned);
            }
            if let Some(worker) = env.worker_name() {
                plan.workers.insert(worker);
            }
            for binding in bindings(env) {
                plan.kinds.insert(binding.kind);
                let text = |key: &str| binding.node.get(key).and_then(Node::as_str);
                match binding.kind {
                    "d1_databases" => {
                        if let Some(id) = text("database_id") {
                            let table = text("migrations_table").unwrap_or("d1_migrations");
                            plan.databases.insert(id.to_owned(), table.to_owned());
                        }
                    }
                    "r2_buckets" => {
                        if let Some(name) = text("bucket_name") {
                            let jurisdiction = super::jurisdiction_of(binding.node);
                            plan.buckets.insert(name.to_owned(), jurisdiction.to_owned());
                        }
                    }
                    _ => {}
                }
            }
            if env.get("queues").is_some_and(|q| q.node.get("consumers").is_some()) {
                plan.kinds.insert("queues.producers");
            }
            for route in routes(env) {
                plan.hosts.insert(crate::checks::routes::host_of(route.pattern));
            }
        }
        plan
    }

    fn needs(&self, kind: &str) -> bool {
        self.kinds.contains(kind)
    }
}

/// Verifies the credentials, chooses the account and fetches what the environments need.
///
/// # Errors
/// When the token is refused, expired or disabled, no account can be chosen, or the API cannot
/// be reached to verify the token.
pub fn gather(
    environments: &[Environment<'_>],
    options: &RemoteOptions,
) -> Result<Snapshot, RemoteError> {
    let plan = Plan::of(environments);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| RemoteError::Runtime(error.to_string()))?;
    let client = Client::new(options.credentials.clone(), options.client.clone())
        .map_err(|error| RemoteError::Runtime(error.to_string()))?;
    runtime.block_on(fetch(&client, &plan, options))
}

async fn fetch(
    client: &Client,
    plan: &Plan,
    options: &RemoteOptions,
) -> Result<Snapshot, RemoteError> {
    let account_hint = match (&options.account_id, &plan.account_id) {
        (Some(id), _) => Some(well_formed_account(id, "CLOUDFLARE_ACCOUNT_ID")?),
        (None, Some(id)) => Some(well_formed_account(id, "account_id in the config")?),
        (None, None) => None,
    };
    let (token, account_id) =
        verify(client, &options.credentials, account_hint.as_ref().map(|(id, _)| id.clone()))
            .await?;
    if let Some((_, source)) = account_hint {
        visible_account(client, &account_id, source).await?;
    }
    tracing::info!(account = %account_id, "token verified");
    let account = format!("/accounts/{account_id}");
    let account = account.as_str();

    let lists = join5(
        list_if(plan.needs("kv_namespaces"), async {
            let items =
                client.get_all_pages(&format!("{account}/storage/kv/namespaces"), 100).await?;
            Ok(listed(&items, "id", "title"))
        }),
        list_if(plan.needs("d1_databases"), async {
            let items = client.get_all_pages(&format!("{account}/d1/database"), 1000).await?;
            Ok(listed(&items, "uuid", "name"))
        }),
        bucket_lists(client, account, plan.buckets.values().collect()),
        list_if(plan.needs("queues.producers"), async {
            let items = client.get_all_pages(&format!("{account}/queues"), 100).await?;
            Ok(listed(&items, "queue_name", "queue_name"))
        }),
        list_if(plan.needs("hyperdrive"), async {
            let items = client.get_all_pages(&format!("{account}/hyperdrive/configs"), 100).await?;
            Ok(listed(&items, "id", "name"))
        }),
    );
    let more = join5(
        list_if(plan.needs("vectorize"), async {
            let answer = client.get(&format!("{account}/vectorize/v2/indexes")).await?;
            Ok(listed(array(&answer.result)?, "name", "name"))
        }),
        list_if(plan.needs("services") || plan.needs("durable_objects.bindings"), async {
            let answer = client.get(&format!("{account}/workers/scripts")).await?;
            Ok(listed(array(&answer.result)?, "id", "id"))
        }),
        join_all(plan.databases.iter().map(|(id, table)| database(client, account, id, table))),
        join_all(
            plan.buckets
                .iter()
                .map(|(name, jurisdiction)| bucket(client, account, name, jurisdiction)),
        ),
        join_all(plan.workers.iter().map(|name| worker(client, account, name))),
    );
    let routes_and_domains = join(
        list_if(!plan.hosts.is_empty(), zones(client, &plan.hosts)),
        list_if(!plan.hosts.is_empty(), async {
            let answer = client.get(&format!("{account}/workers/domains")).await?;
            Ok(array(&answer.result)?
                .iter()
                .map(|d| CustomDomain {
                    hostname: text(d, "hostname"),
                    service: text(d, "service"),
                })
                .collect())
        }),
    );
    let (
        (kv, d1_list, r2_list, queues, hyperdrive),
        (vectorize, scripts, d1, r2, workers),
        (zones, domains),
    ) = Box::pin(futures_util::future::join3(lists, more, routes_and_domains)).await;

    Ok(Snapshot {
        account_id,
        token,
        kv_namespaces: kv,
        d1_databases: d1_list,
        d1: plan.databases.keys().cloned().zip(d1).collect(),
        r2_buckets: r2_list.into_iter().collect(),
        r2: plan.buckets.keys().cloned().zip(r2).collect(),
        queues,
        hyperdrive,
        vectorize,
        scripts,
        workers: plan.workers.iter().cloned().zip(workers).collect(),
        zones,
        custom_domains: domains,
        calls: client.calls(),
    })
}

/// A list that is only fetched when a binding needs it; otherwise it is empty.
async fn list_if<T: Default>(
    wanted: bool,
    fetch: impl Future<Output = Result<T, CallError>>,
) -> Fetched<T> {
    if !wanted {
        return Ok(T::default());
    }
    fetch.await.map_err(Unknown::from)
}

/// Verifies the token where it lives (the user endpoint, else the account's) and chooses the
/// account. Returns a description of the token and the account id.
async fn verify(
    client: &Client,
    credentials: &Credentials,
    account_hint: Option<String>,
) -> Result<(String, String), RemoteError> {
    if let Credentials::GlobalKey { .. } = credentials {
        // The verify endpoints take only tokens; listing the accounts proves the key works,
        // so it is listed even when the account is already known.
        let accounts = match client.get_all_pages("/accounts", 50).await {
            Ok(accounts) => accounts,
            Err(error) if error.is_unroutable() => {
                return Err(unroutable(client, "/accounts", &error));
            }
            Err(error) if is_auth_failure(&error) => {
                return Err(RemoteError::BadToken(format!(
                    "the global API key was refused by the API ({error}); check CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL"
                )));
            }
            Err(error) => return Err(RemoteError::Unreachable(error)),
        };
        let account = match account_hint {
            Some(id) => id,
            None => only_account(&accounts)?,
        };
        return Ok(("global API key".to_owned(), account));
    }
    match client.get("/user/tokens/verify").await {
        Ok(answer) => {
            let description = token_status(&answer.result, "user")?;
            Ok((description, choose_account(client, account_hint).await?))
        }
        Err(error) if error.is_unroutable() => {
            Err(unroutable(client, "/user/tokens/verify", &error))
        }
        // An account-owned token is not known at the user endpoint (1000); its own lives under
        // the account.
        Err(error) if error.has_code(1000) || error.status() == Some(401) => {
            let account = choose_account(client, account_hint).await.map_err(|e| match e {
                RemoteError::Unreachable(inner) if is_auth_failure(&inner) => {
                    RemoteError::BadToken(refusal(&error))
                }
                other => other,
            })?;
            match client.get(&format!("/accounts/{account}/tokens/verify")).await {
                Ok(answer) => Ok((token_status(&answer.result, "account")?, account)),
                Err(inner) if is_auth_failure(&inner) => {
                    Err(RemoteError::BadToken(refusal(&inner)))
                }
                Err(inner) => Err(RemoteError::Unreachable(inner)),
            }
        }
        Err(error) if is_auth_failure(&error) => Err(RemoteError::BadToken(refusal(&error))),
        Err(error) => Err(RemoteError::Unreachable(error)),
    }
}

fn is_auth_failure(error: &CallError) -> bool {
    matches!(error.status(), Some(400 | 401 | 403))
        || [1000, 1001, 6003, 6111, 9106, 9103, 9109, 10000].iter().any(|&c| error.has_code(c))
}

/// The account id as given, when it has the shape of one: 32 lowercase hex digits. Anything else
/// would be sent into every path (a `/` or `..` in it would reach other endpoints), so it is
/// refused before any call, naming where it came from.
fn well_formed_account<'a>(id: &str, source: &'a str) -> Result<(String, &'a str), RemoteError> {
    let hex = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if hex && id.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(RemoteError::Account(format!(
            "{source} has uppercase letters; account ids are lowercase: use {}",
            id.to_ascii_lowercase()
        )));
    }
    if !hex {
        return Err(RemoteError::Account(format!(
            "{source} is {id:?}, which is not an account id (32 lowercase hex digits, as shown in the dashboard URL)"
        )));
    }
    Ok((id.to_owned(), source))
}

/// Whether the token can see the account it was given: a mistyped id, or one of another
/// account, would otherwise turn every account check into an unknown. When the token may not
/// list its accounts, the checks themselves will say what they could not read.
async fn visible_account(client: &Client, id: &str, source: &str) -> Result<(), RemoteError> {
    let accounts = match client.get_all_pages("/accounts", 50).await {
        Ok(accounts) => accounts,
        Err(error) => {
            tracing::warn!(%error, "the accounts the token can see could not be listed");
            return Ok(());
        }
    };
    if accounts.iter().any(|a| text(a, "id") == id) {
        return Ok(());
    }
    let seen: Vec<String> =
        accounts.iter().map(|a| format!("{} ({})", text(a, "name"), text(a, "id"))).collect();
    let seen = if seen.is_empty() { "none".to_owned() } else { seen.join(", ") };
    Err(RemoteError::Account(format!(
        "{source} is {id}, an account the token cannot see (it sees: {seen}); correct {source} or use a token of that account"
    )))
}

/// The base URL answered, but not as the API root: the credentials were never looked at.
fn unroutable(client: &Client, path: &str, error: &CallError) -> RemoteError {
    RemoteError::Unroutable(format!(
        "the API at {} could not route {path} ({error}); CLOUDFLARE_API_BASE_URL must be the API root, ending in /client/v4",
        client.base_url()
    ))
}

fn refusal(error: &CallError) -> String {
    format!(
        "the API token was refused by the API ({error}); check CLOUDFLARE_API_TOKEN, or create a new token"
    )
}

fn token_status(result: &Value, owner: &str) -> Result<String, RemoteError> {
    let status = result.get("status").and_then(Value::as_str).unwrap_or("unknown");
    if status != "active" {
        let expires = result
            .get("expires_on")
            .and_then(Value::as_str)
            .map(|at| format!(" (expires_on {at})"))
            .unwrap_or_default();
        return Err(RemoteError::BadToken(format!(
            "the API token is {status}{expires}; enable it or create a new one in the dashboard"
        )));
    }
    let id = result.get("id").and_then(Value::as_str).unwrap_or("?");
    Ok(format!("{owner} token {}", super::short_id(id)))
}

async fn choose_account(client: &Client, hint: Option<String>) -> Result<String, RemoteError> {
    if let Some(id) = hint {
        return Ok(id);
    }
    let accounts = client.get_all_pages("/accounts", 50).await.map_err(RemoteError::Unreachable)?;
    only_account(&accounts)
}

/// The id of the only account listed; an error naming them when there are several or none.
fn only_account(accounts: &[Value]) -> Result<String, RemoteError> {
    match accounts {
        [only] => Ok(text(only, "id")),
        [] => Err(RemoteError::Account(
            "the token can see no account; set CLOUDFLARE_ACCOUNT_ID or account_id".to_owned(),
        )),
        many => {
            let names: Vec<String> =
                many.iter().map(|a| format!("{} ({})", text(a, "name"), text(a, "id"))).collect();
            Err(RemoteError::Account(format!(
                "the token can see {} accounts: {}; choose one with CLOUDFLARE_ACCOUNT_ID or account_id in the config",
                many.len(),
                names.join(", ")
            )))
        }
    }
}

async fn database(client: &Client, account: &str, id: &str, table: &str) -> RemoteDatabase {
    let path = format!("{account}/d1/database/{}", encode(id));
    let info = async {
        match client.get(&path).await {
            Ok(answer) => Ok(Some(DatabaseInfo {
                name: text(&answer.result, "name"),
                file_size: answer.result.get("file_size").and_then(Value::as_u64),
            })),
            Err(error) if error.is_not_found(&[7404]) => Ok(None),
            Err(error) => Err(Unknown::from(error)),
        }
    };
    let schema = async {
        let sql = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY type, name";
        let rows = query(client, &path, sql).await?;
        Ok::<_, Unknown>(
            rows.iter()
                .map(|row| SchemaObject {
                    kind: text(row, "type"),
                    name: text(row, "name"),
                    sql: row.get("sql").and_then(Value::as_str).map(str::to_owned),
                })
                .collect::<Vec<_>>(),
        )
    };
    let (info, schema) = join(info, schema).await;
    if matches!(info, Ok(None)) {
        let missing = Unknown("the database does not exist".to_owned());
        return RemoteDatabase { info, schema: Err(missing.clone()), applied: Err(missing) };
    }
    let applied = match &schema {
        Ok(objects) if objects.iter().any(|o| o.kind == "table" && o.name == table) => {
            let sql = format!("SELECT name FROM \"{}\" ORDER BY id", table.replace('"', "\"\""));
            query(client, &path, &sql)
                .await
                .map(|rows| rows.iter().map(|r| text(r, "name")).collect())
        }
        Ok(_) => Ok(Vec::new()),
        Err(error) => Err(error.clone()),
    };
    RemoteDatabase { info, schema, applied }
}

/// The rows of one statement run through D1's query endpoint.
async fn query(client: &Client, database: &str, sql: &str) -> Result<Vec<Value>, Unknown> {
    let answer = client.post(&format!("{database}/query"), &json!({ "sql": sql })).await?;
    let rows = answer
        .result
        .get(0)
        .and_then(|statement| statement.get("results"))
        .and_then(Value::as_array)
        .ok_or_else(|| Unknown("the query answer holds no results".to_owned()))?;
    Ok(rows.clone())
}

/// The buckets of each jurisdiction the bindings use: each jurisdiction lists only its own.
async fn bucket_lists(
    client: &Client,
    account: &str,
    jurisdictions: BTreeSet<&String>,
) -> Vec<(String, Fetched<Vec<Listed>>)> {
    join_all(jurisdictions.into_iter().map(|jurisdiction| async move {
        let header = Some(("cf-r2-jurisdiction", jurisdiction.as_str()));
        let path = format!("{account}/r2/buckets?per_page=1000");
        let items = client
            .get_all_cursor(&path, header, |result| result.get("buckets").and_then(Value::as_array))
            .await;
        let listed = items.map(|items| listed(&items, "name", "name")).map_err(Unknown::from);
        (jurisdiction.clone(), listed)
    }))
    .await
}

async fn bucket(client: &Client, account: &str, name: &str, jurisdiction: &str) -> RemoteBucket {
    let path = format!("{account}/r2/buckets/{}", encode(name));
    let header = Some(("cf-r2-jurisdiction", jurisdiction));
    let cors = async {
        match client.get_with(&format!("{path}/cors"), header).await {
            Ok(answer) => Ok(Some(cors_rules(&answer.result))),
            Err(error) if error.is_not_found(&[10059, 10006]) => Ok(None),
            Err(error) => Err(Unknown::from(error)),
        }
    };
    let lifecycle = async {
        let answer = client.get_with(&format!("{path}/lifecycle"), header).await?;
        let rules =
            answer.result.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok::<_, Unknown>(rules.iter().map(|rule| text(rule, "id")).collect())
    };
    let (cors, lifecycle) = join(cors, lifecycle).await;
    RemoteBucket { cors, lifecycle }
}

fn cors_rules(result: &Value) -> Vec<CorsRule> {
    let strings = |value: Option<&Value>| -> Vec<String> {
        value
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    result
        .get("rules")
        .and_then(Value::as_array)
        .map(|rules| {
            rules
                .iter()
                .map(|rule| {
                    let allowed = rule.get("allowed");
                    CorsRule {
                        origins: strings(allowed.and_then(|a| a.get("origins"))),
                        methods: strings(allowed.and_then(|a| a.get("methods"))),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn worker(client: &Client, account: &str, name: &str) -> RemoteWorker {
    let path = format!("{account}/workers/scripts/{}", encode(name));
    let secrets = async {
        match client.get(&format!("{path}/secrets")).await {
            Ok(answer) => {
                Ok(Some(array(&answer.result)?.iter().map(|s| text(s, "name")).collect()))
            }
            Err(error) if error.is_not_found(&[10007]) => Ok(None),
            Err(error) => Err(Unknown::from(error)),
        }
    };
    let bindings = async {
        match client.get(&format!("{path}/settings")).await {
            Ok(answer) => {
                let bindings = answer.result.get("bindings").and_then(Value::as_array);
                Ok(Some(
                    bindings
                        .map(|items| {
                            items.iter().map(|b| (text(b, "name"), text(b, "type"))).collect()
                        })
                        .unwrap_or_default(),
                ))
            }
            Err(error) if error.is_not_found(&[10007]) => Ok(None),
            Err(error) => Err(Unknown::from(error)),
        }
    };
    let (secrets, bindings) = join(secrets, bindings).await;
    RemoteWorker { secrets, bindings }
}

async fn zones(client: &Client, hosts: &BTreeSet<String>) -> Result<Vec<RemoteZone>, CallError> {
    let listed = client.get_all_pages("/zones", 50).await?;
    let zones: Vec<(String, String)> =
        listed.iter().map(|z| (text(z, "id"), text(z, "name"))).collect();
    let serves =
        |zone: &str| hosts.iter().any(|host| host == zone || host.ends_with(&format!(".{zone}")));
    let fetched = join_all(zones.into_iter().enumerate().map(|(index, (id, name))| async move {
        let routes = async {
            if index >= MAX_ZONES && !serves(&name) {
                return Err(Unknown(format!(
                    "not read: only the routes of the first {MAX_ZONES} zones and of those the config routes to are"
                )));
            }
            let answer = client.get(&format!("/zones/{id}/workers/routes")).await?;
            Ok::<_, Unknown>(
                array(&answer.result)?
                    .iter()
                    .map(|r| ZoneRoute {
                        pattern: text(r, "pattern"),
                        script: r.get("script").and_then(Value::as_str).map(str::to_owned),
                    })
                    .collect(),
            )
        };
        let dns = async {
            if !serves(&name) {
                return None;
            }
            let records = client.get_all_pages(&format!("/zones/{id}/dns_records"), 100).await;
            Some(records.map_err(Unknown::from).map(|records| {
                records
                    .iter()
                    .map(|r| DnsRecord {
                        kind: text(r, "type"),
                        name: text(r, "name"),
                        content: text(r, "content"),
                        proxied: r.get("proxied").and_then(Value::as_bool) == Some(true),
                    })
                    .collect()
            }))
        };
        let (routes, dns) = join(routes, dns).await;
        RemoteZone { id, name, dns, routes }
    }))
    .await;
    Ok(fetched)
}

fn listed(items: &[Value], id: &str, name: &str) -> Vec<Listed> {
    items.iter().map(|item| Listed { id: text(item, id), name: text(item, name) }).collect()
}

fn array(value: &Value) -> Result<&Vec<Value>, CallError> {
    value.as_array().ok_or_else(|| CallError::InvalidBody("the result is not a list".to_owned()))
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}
