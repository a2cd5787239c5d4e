use crate::checks::code::{
    bound_in_some_environment, bound_names, code_of, file_of, is_resource, is_unused_top_level,
    place, suggested_kind,
};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::config::bindings::kind_label;
use crate::diagnostic::{Service, Severity};

/// A binding the code uses that the environment does not bind.
pub const RULE: Rule = Rule {
    code: "COD001",
    name: "binding-not-bound",
    service: Service::Code,
    severity: Severity::Error,
    fixable: false,
    summary: "The code uses a binding (a KV namespace, database, queue, ...) that the environment does not bind",
    docs: r#"## What it checks
Every `env.NAME` the worker's code uses as a resource (it calls KV, D1, R2, Durable Object,
queue or service methods on it) must be bound in each environment it is deployed to. The code
is read from `main` and every local module it imports; `env` is found by its role (handler
parameter, `this.env`, `c.env`, `import { env } from "cloudflare:workers"`), not by its name.

## Why it matters
This is the classic failure after a successful deploy: bindings are not inherited by
`[env.NAME]`, so `env.SESSIONS` is `undefined` in production and every request throws.

## Example
```toml
[[kv_namespaces]]
binding = "SESSIONS"
[env.production]        # bad: the code's env.SESSIONS.get(...) fails in production
[[env.production.kv_namespaces]]
binding = "SESSIONS"    # good
```

## Known limitations
Bindings read through computed names (`env[name]`) are not known. When a config's named
environments bind for themselves, the top level gets one info finding listing what a deploy
without `--env` would lack, instead of errors.

## See also
https://developers.cloudflare.com/workers/wrangler/environments/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    let bound = bound_names(env);
    let mut missing = Vec::new();
    let bound_set: std::collections::HashSet<&str> = bound.iter().map(|b| b.name).collect();
    for (name, _, _) in model.names() {
        if !bound_set.contains(name.as_str()) {
            missing.push(name.as_str());
        }
    }
    if missing.is_empty() {
        return;
    }
    if is_unused_top_level(context, env) {
        // Names no environment binds either are each environment's error, not the top level's.
        missing.retain(|name| bound_in_some_environment(context, name));
        let Some(&first_name) = missing.first() else { return };
        let first = model.first_use(first_name).expect("a used name has a use");
        let list = missing.join(", ");
        sink.report_in(file_of(model, first), None, first.at.span, format!(
            "a deploy without --env would lack {list}: the top level binds none of them, only the environments do"
        ))
        .severity(Severity::Info)
        .help("deploy with --env, or declare them at the top level too");
        return;
    }
    for name in missing {
        if !is_resource(context, model, name) {
            continue; // plain values are undeclared-variable's
        }
        let first = model.first_use(name).expect("a used name has a use");
        let uses = model.use_count(name);
        let more =
            if uses > 1 { format!(" (and {} more places)", uses - 1) } else { String::new() };
        // The usual cause: the top level declares it and the environment does not inherit it.
        let top = crate::config::Environment::top_level(env.root);
        let at_top = if env.is_top_level() {
            None
        } else {
            bound_names(&top).into_iter().find(|b| b.name == name)
        };
        let kind = at_top.map_or_else(
            || suggested_kind(model, name).to_owned(),
            |b| format!("a {}", kind_label(b.kind)),
        );
        let message = format!(
            "{} has no binding named {name}, but {} uses env.{name}{more} as {kind}",
            env.label(),
            place(model, first.at)
        );
        let diagnostic = sink.report_in(file_of(model, first), env.name, first.at.span, message);
        diagnostic.binding(name);
        match (at_top, env.name) {
            (Some(binding), Some(env_name)) => {
                diagnostic.note("top-level bindings are not inherited by environments");
                diagnostic.help(format!(
                    "declare it again under [env.{env_name}]: [[env.{env_name}.{}]] with {name} and this environment's own resource",
                    section(binding.kind)
                ));
            }
            _ => {
                diagnostic.help(format!("bind {name} as {kind} in {}", env.label()));
            }
        }
    }
}

fn section(kind: &str) -> &str {
    match kind {
        "durable_objects.bindings" => "durable_objects.bindings",
        "queues.producers" => "queues.producers",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CODE: &str = "export default {\n  async fetch(request, env) {\n    const id = env.ROOMS.idFromName(\"a\");\n    await env.QUEUE.send(id);\n    return new Response(await env.CACHE.get(\"k\"));\n  },\n};\n";

    #[test]
    fn bound_bindings_pass() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[durable_objects.bindings]]\nname = \"ROOMS\"\nclass_name = \"Room\"\n[[queues.producers]]\nbinding = \"QUEUE\"\nqueue = \"q\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\n";
        assert_eq!(
            findings("COD001", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn unbound_bindings_are_errors_per_environment() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[durable_objects.bindings]]\nname = \"ROOMS\"\nclass_name = \"Room\"\n[[queues.producers]]\nbinding = \"QUEUE\"\nqueue = \"q\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\n[env.production]\n[[env.production.kv_namespaces]]\nbinding = \"CACHE\"\n";
        assert_eq!(
            findings("COD001", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            [
                "3:20 error [production] env.production has no binding named ROOMS, but src/index.js:3 uses env.ROOMS as a Durable Object namespace",
                "4:15 error [production] env.production has no binding named QUEUE, but src/index.js:4 uses env.QUEUE as a queue producer",
            ]
        );
    }

    #[test]
    fn a_database_handed_to_an_orm_is_still_a_binding() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[d1_databases]]\nbinding = \"DB\"\n[env.production]\n";
        let code = "import { drizzle } from \"drizzle-orm/d1\";\nexport default { fetch(r, env) { const db = drizzle(env.DB); return new Response(String(db)); } };\n";
        assert_eq!(
            findings("COD001", &[("wrangler.toml", config), ("src/index.js", code)]),
            [
                "2:57 error [production] env.production has no binding named DB, but src/index.js:2 uses env.DB as a D1 database"
            ]
        );
    }

    #[test]
    fn a_top_level_that_only_environments_bind_for_gets_one_info() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[env.production]\nkv_namespaces = [{ binding = \"CACHE\" }]\ndurable_objects.bindings = [{ name = \"ROOMS\", class_name = \"Room\" }]\nqueues.producers = [{ binding = \"QUEUE\", queue = \"q\" }]\n";
        assert_eq!(
            findings("COD001", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            [
                "3:20 info [top] a deploy without --env would lack ROOMS, QUEUE, CACHE: the top level binds none of them, only the environments do"
            ]
        );
    }
}
