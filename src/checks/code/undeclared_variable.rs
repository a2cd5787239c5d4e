use crate::checks::code::{
    bound_names, code_of, file_of, is_resource, is_unused_top_level, place, top_level_var,
};
use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// A plain value the code reads that is neither a var nor a declared secret.
pub const RULE: Rule = Rule {
    code: "COD002",
    name: "undeclared-variable",
    service: Service::Code,
    severity: Severity::Warning,
    fixable: false,
    summary: "The code reads a value from env that is neither a var nor a declared secret in the environment",
    docs: r#"## What it checks
Every `env.NAME` the code reads as a plain value should be a `vars` entry of the environment or
a secret it declares in `secrets.required`. Secrets set with `wrangler secret put` and not
declared cannot be seen offline, so this is a warning: declare them, or run `check --remote`.
A name that exists only in `.dev.vars` or `.env` (including their per-environment variants)
gets its own message: `wrangler dev` reads those files, `wrangler deploy` never uploads them,
so the value is there locally and missing in production. The value is never printed.

## Why it matters
`env.API_TOKEN` is `undefined` in the deployed worker; calls fail with an authentication error
that looks like the other service's fault.

## Example
```toml
[env.production.vars]
API_BASE = "https://api.example.com"   # a plain value, in the config
[env.production.secrets]
required = ["API_TOKEN"]               # a secret: set it with `wrangler secret put API_TOKEN --env production`
```

## Known limitations
Secrets set with `wrangler secret put` but not listed in `secrets.required` are only known
with `--remote`; list them to have the check (and wrangler) verify them. With `--remote`, once
the worker's secrets are read, this check stays silent for the environment: secret-not-set
(SEC001) confirms each name or reports it missing.

## See also
https://developers.cloudflare.com/workers/configuration/secrets/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    let Some(model) = code_of(context, env) else { return };
    if is_unused_top_level(context, env) {
        return; // binding-not-bound says it once for the top level
    }
    if secrets_known_remotely(context, env) {
        return; // secret-not-set confirms or reports each name against the worker's secrets
    }
    let bound: std::collections::HashSet<&str> = bound_names(env).iter().map(|b| b.name).collect();
    for (name, first, _) in model.names() {
        let name = name.as_str();
        if bound.contains(name) || is_resource(context, model, name) {
            continue;
        }
        let use_ = &model.uses[*first];
        let flag = env.name.map(|n| format!(" --env {n}")).unwrap_or_default();
        let local = context.project.local_variables.iter().find(|v| v.name == name);
        let diagnostic = if !env.is_top_level() && top_level_var(context, name) {
            let message = format!(
                "{} reads env.{name}, which the top level's [vars] defines, but vars are not inherited: {} has no {name}",
                place(model, use_.at),
                env.label()
            );
            let diagnostic = sink.report_in(file_of(model, use_), env.name, use_.at.span, message);
            diagnostic.help(format!("add {name} to [env.{}.vars]", env.name.unwrap_or("")));
            diagnostic
        } else if let Some(variable) = local {
            let message = format!(
                "{} reads env.{name}, which is defined only in {}; `wrangler deploy` does not upload that file, so {} has no {name}",
                place(model, use_.at),
                variable.file,
                env.label()
            );
            let diagnostic = sink.report_in(file_of(model, use_), env.name, use_.at.span, message);
            diagnostic.severity(Severity::Warning).help(format!(
                "run `wrangler secret put {name}{flag}`, and list it in secrets.required"
            ));
            diagnostic
        } else {
            let message = format!(
                "{} reads env.{name}, but {} has no var, secret or binding named {name}",
                place(model, use_.at),
                env.label()
            );
            let diagnostic = sink.report_in(file_of(model, use_), env.name, use_.at.span, message);
            diagnostic.help(format!(
                "add it to the environment's [vars], or if it is a secret, run `wrangler secret put {name}{flag}` and list it in secrets.required"
            ));
            diagnostic
        };
        diagnostic.binding(name).note("the value is not read or shown");
    }
}

/// Whether `--remote` read the secrets of the environment's worker (or found it absent): then
/// each name the code reads is known to be set or reported missing by secret-not-set, and a
/// guess from the files would contradict or repeat it.
fn secrets_known_remotely(context: &Context<'_>, env: &Environment<'_>) -> bool {
    let Some(snapshot) = context.remote else { return false };
    env.worker_name()
        .and_then(|worker| snapshot.workers.get(&worker))
        .is_some_and(|remote| remote.secrets.is_ok())
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::findings;

    const CODE: &str = "export default {\n  fetch(request, env) {\n    return fetch(env.API_BASE, { headers: { authorization: env.API_TOKEN } });\n  },\n};\n";

    #[test]
    fn vars_and_declared_secrets_pass() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n[vars]\nAPI_BASE = \"https://x\"\n[secrets]\nrequired = [\"API_TOKEN\"]\n";
        assert_eq!(
            findings("COD002", &[("wrangler.toml", config), ("src/index.js", CODE)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn undeclared_values_are_errors_and_local_only_ones_warnings() {
        let config = "name = \"a\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-15\"\n";
        let files = [
            ("wrangler.toml", config),
            ("src/index.js", CODE),
            (".dev.vars", "API_TOKEN=s3cr3t-value\n"),
        ];
        let found = findings("COD002", &files);
        assert_eq!(
            found,
            [
                "3:22 warning [top] src/index.js:3 reads env.API_BASE, but top level has no var, secret or binding named API_BASE",
                "3:64 warning [top] src/index.js:3 reads env.API_TOKEN, which is defined only in .dev.vars; `wrangler deploy` does not upload that file, so top level has no API_TOKEN",
            ]
        );
        assert!(found.iter().all(|line| !line.contains("s3cr3t")));
    }
}
