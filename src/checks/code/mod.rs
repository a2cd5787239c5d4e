//! Checks of the worker's code against the environment it is deployed to: every binding the
//! code reads must be bound, and bound as what the code uses it as.

pub mod binding_kind_mismatch;
pub mod binding_not_bound;
pub mod binding_unused;
pub mod code_not_analysed;
pub mod durable_object_not_exported;
pub mod unbound_durable_object_class;
pub mod undeclared_variable;

use crate::checks::Context;
use crate::code::{BindingUse, CodeModel};
use crate::config::Environment;
use crate::config::bindings::{Binding, bindings};
use crate::project::SourceFile;

/// The methods each binding kind offers, for telling what a binding is used as. `None`: any
/// method is plausible (service bindings expose their RPC methods; vars may hold JSON).
#[must_use]
pub fn kind_methods(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "kv_namespaces" => &["get", "put", "list", "delete", "getWithMetadata"],
        "d1_databases" => &["prepare", "batch", "exec", "dump", "withSession"],
        "r2_buckets" => &[
            "head",
            "get",
            "put",
            "delete",
            "list",
            "createMultipartUpload",
            "resumeMultipartUpload",
        ],
        "durable_objects.bindings" => {
            &["idFromName", "idFromString", "newUniqueId", "get", "getByName", "jurisdiction"]
        }
        "queues.producers" => &["send", "sendBatch"],
        "analytics_engine_datasets" => &["writeDataPoint"],
        "vectorize" => {
            &["query", "queryById", "insert", "upsert", "getByIds", "deleteByIds", "describe"]
        }
        "workflows" => &["create", "get", "createBatch"],
        "ratelimits" => &["limit"],
        "ai" => &["run", "gateway", "autorag", "models", "toMarkdown", "aiSearch"],
        "send_email" => &["send"],
        _ => return None,
    })
}

/// What a method says about the binding it is called on, when it says something.
#[must_use]
pub fn kind_for_method(method: &str) -> Option<(&'static str, &'static str)> {
    Some(match method {
        "prepare" | "batch" | "exec" | "dump" | "withSession" => ("d1_databases", "a D1 database"),
        "getWithMetadata" => ("kv_namespaces", "a KV namespace"),
        "head" | "createMultipartUpload" | "resumeMultipartUpload" => {
            ("r2_buckets", "an R2 bucket")
        }
        "idFromName" | "idFromString" | "newUniqueId" | "getByName" => {
            ("durable_objects.bindings", "a Durable Object namespace")
        }
        "sendBatch" => ("queues.producers", "a queue"),
        "writeDataPoint" => ("analytics_engine_datasets", "an Analytics Engine dataset"),
        "run" => ("ai", "Workers AI"),
        "limit" => ("ratelimits", "a rate limiter"),
        _ => return None,
    })
}

/// The code model of an environment's `main`, when it was read.
#[must_use]
pub fn code_of<'a>(context: &Context<'a>, env: &Environment<'_>) -> Option<&'a CodeModel> {
    let main = env.get("main")?.node.as_str()?;
    context.project.code_for(main).filter(|model| model.analysed())
}

/// The file a use is in.
#[must_use]
pub fn file_of<'a>(model: &'a CodeModel, use_: &BindingUse) -> &'a SourceFile {
    &model.files[use_.at.file]
}

/// `src/index.ts:7`, for messages.
#[must_use]
pub fn place(model: &CodeModel, at: crate::code::CodeSpan) -> String {
    let file = &model.files[at.file];
    format!("{}:{}", file.display, file.range(at.span).line)
}

/// Whether a binding's uses show a resource (methods of KV, D1, R2, ...) rather than a plain
/// value.
#[must_use]
pub fn used_as_resource(model: &CodeModel, name: &str) -> bool {
    const RESOURCE_METHODS: &[&str] = &["get", "put", "list", "delete", "send", "fetch", "connect"];
    model
        .methods_of(name)
        .iter()
        .any(|method| kind_for_method(method).is_some() || RESOURCE_METHODS.contains(method))
}

/// What the uses of an unbound name suggest it should be, in words.
#[must_use]
pub fn suggested_kind(model: &CodeModel, name: &str) -> &'static str {
    let methods = model.methods_of(name);
    methods.iter().find_map(|m| kind_for_method(m)).map_or_else(
        || {
            if methods.iter().any(|m| matches!(*m, "get" | "put" | "list" | "delete")) {
                "a KV namespace or R2 bucket"
            } else if methods.contains("send") {
                "a queue producer"
            } else if methods.contains("fetch") {
                "a service binding"
            } else {
                "a binding"
            }
        },
        |(_, label)| label,
    )
}

/// The names an environment binds, of every kind.
#[must_use]
pub fn bound_names<'a>(env: &Environment<'a>) -> Vec<Binding<'a>> {
    bindings(env)
}

/// Whether the environment is the top level of a config whose named environments include
/// production: those are what gets deployed, so the top level's gaps are not errors
/// (binding-not-bound says once, as info, which bindings a deploy without `--env` would lack).
#[must_use]
pub fn is_unused_top_level(context: &Context<'_>, env: &Environment<'_>) -> bool {
    // Without an environment named like production the top level is production, and its gaps
    // are errors like any environment's.
    env.is_top_level() && context.has_named_environments() && context.has_named_production()
}

/// Whether a name is a resource: the code calls resource methods on it, or some environment
/// binds it as one (`drizzle(env.DB)` calls nothing on it, but DB is a D1 database elsewhere).
#[must_use]
pub fn is_resource(context: &Context<'_>, model: &CodeModel, name: &str) -> bool {
    const VALUES: &[&str] = &["vars", "secrets.required", "text_blobs", "data_blobs"];
    used_as_resource(model, name)
        || crate::config::resolve_environments(context.root, None)
            .iter()
            .any(|env| bindings(env).iter().any(|b| b.name == name && !VALUES.contains(&b.kind)))
}

/// Whether the top level's own `[vars]` (not inherited by environments) defines `name`.
#[must_use]
pub fn top_level_var(context: &Context<'_>, name: &str) -> bool {
    context.root.get("vars").is_some_and(|vars| vars.get(name).is_some())
}

/// Whether any named environment binds `name`.
#[must_use]
pub fn bound_in_some_environment(context: &Context<'_>, name: &str) -> bool {
    crate::config::resolve_environments(context.root, None)
        .iter()
        .filter(|env| !env.is_top_level())
        .any(|env| bindings(env).iter().any(|b| b.name == name))
}
