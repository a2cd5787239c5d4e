use crate::checks::code::{bound_names, code_of, kind_for_method, kind_methods, place};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::config::bindings::kind_label;
use crate::diagnostic::{Service, Severity};

/// A binding used as another kind than it is bound as.
pub const RULE: Rule = Rule {
    code: "COD003",
    name: "binding-kind-mismatch",
    service: Service::Code,
    severity: Severity::Error,
    fixable: false,
    summary: "The code calls a method of one binding kind on a binding of another (a KV namespace called with .prepare)",
    docs: r#"## What it checks
The methods the code calls on each binding against the kind the environment binds it as: a
KV namespace has `get`/`put`/`list`/`delete`/`getWithMetadata`, a D1 database
`prepare`/`batch`/`exec`, a Durable Object namespace `idFromName`/`get`, and so on. A method
that belongs to another kind (`.prepare` on a KV namespace) is reported.

## Why it matters
The call throws `TypeError: env.X.prepare is not a function` on the first request; usually two
bindings' names were swapped, or an environment bound the wrong section.

## Example
```toml
[[env.production.kv_namespaces]]
binding = "DB"          # bad: the code calls env.DB.prepare(...)
[[env.production.d1_databases]]
binding = "DB"          # good
```

## Known limitations
Service bindings and variables accept any method and are only reported for methods that
unmistakably belong to a resource (`prepare`, `idFromName`, ...).

## See also
https://developers.cloudflare.com/workers/runtime-apis/bindings/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    let bound = bound_names(env);
    for call in &model.method_calls {
        let Some(binding) = bound.iter().find(|b| b.name == call.binding) else { continue };
        let Some((other_kind, other_label)) = kind_for_method(&call.method) else { continue };
        if other_kind == binding.kind {
            continue;
        }
        if kind_methods(binding.kind).is_some_and(|methods| methods.contains(&call.method.as_str()))
        {
            continue;
        }
        // The same for every environment that binds it so: said once.
        let message = format!(
            "{} is a {} binding, but {} calls .{}() on it, a method of {other_label}",
            call.binding,
            kind_label(binding.kind),
            place(model, call.at),
            call.method
        );
        sink.report_in(&model.files[call.at.file], env.name, call.at.span, message)
            .binding(call.binding.as_str())
            .help(format!(
                "bind {} as {other_label} in {}, or call the binding that is one",
                call.binding,
                env.label()
            ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CODE: &str = "export default {\n  async fetch(request, env) {\n    const db = env.DB;\n    return Response.json(await db.prepare(\"SELECT 1\").all());\n  },\n};\n";

    #[test]
    fn matching_kinds_pass() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[d1_databases]]\nbinding = \"DB\"\n";
        assert_eq!(
            findings("COD003", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_kv_namespace_called_like_a_database_is_an_error() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[[kv_namespaces]]\nbinding = \"DB\"\n";
        assert_eq!(
            findings("COD003", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            [
                "4:35 error [top] DB is a KV namespace binding, but src/index.js:4 calls .prepare() on it, a method of a D1 database"
            ]
        );
    }
}
