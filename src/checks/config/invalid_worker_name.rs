use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

/// Worker names Cloudflare will not take, or that cannot serve as a hostname.
pub const RULE: Rule = Rule {
    code: "CFG005",
    name: "invalid-worker-name",
    service: Service::Config,
    severity: Severity::Error,
    fixable: false,
    summary: "A worker name, after environment suffixing, is missing, too long or not a DNS label",
    docs: r#"## What it checks
The name each environment deploys as: its own `name`, or the top-level name with `-ENV`
appended. It must be present, at most 63 characters, and made of lowercase letters, digits, `-`
and `_` (wrangler's own rule); a name that is not a DNS label (no `_`, not ending with `-`) gets
a warning when the worker is served on `workers.dev` or preview URLs, where the name becomes a
hostname.

## Why it matters
The suffix makes a name that was fine at the top level too long in an environment, and the
deploy of that environment alone fails.

## Example
```toml
name = "customer-notifications-delivery-pipeline-worker-service-api"
[env.production]   # deploys as ...-api-production: 74 characters, rejected
```

## Known limitations
None known.

## See also
https://developers.cloudflare.com/workers/wrangler/configuration/#inheritable-keys
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

/// The longest worker name Cloudflare accepts.
const MAX_LENGTH: usize = crate::platform::limits::DNS_LABEL_MAX_LEN;

fn check(context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    // A Pages project's config names a project, not a worker: its name may be absent.
    let pages = context.root.get("pages_build_output_dir").is_some();
    let field = env.get("name");
    let span = match (field, env.name_span) {
        (Some(field), _) if !field.inherited => field.node.span,
        (_, Some(name_span)) => name_span,
        (Some(field), None) => field.node.span,
        (None, None) => crate::syntax::Span::new(0, 0),
    };
    let Some(name) = env.worker_name() else {
        // With named environments, a nameless top level is usually never deployed on its own.
        if env.is_top_level() && !context.has_named_environments() && !pages {
            // A Pages project's missing name is invalid-pages-config's.
            sink.report(
                Some(env),
                span,
                "the worker has no `name`; `wrangler deploy` refuses to deploy it",
            )
            .help("add `name = \"my-worker\"` at the top level");
        }
        return;
    };
    if field.is_some_and(|f| f.node.as_str().is_none()) {
        return; // a wrong type is reported by invalid-type
    }
    let suffixed = field.is_none_or(|f| f.inherited) && env.name.is_some();
    let origin = if suffixed {
        format!(" (the top-level name with `-{}` appended)", env.name.unwrap_or(""))
    } else {
        String::new()
    };
    // A suffixed name repeats the top level's name, whose own mistakes are reported at the top
    // level; what is new is its length and the environment's name.
    if suffixed && name.len() <= MAX_LENGTH {
        let env_name = env.name.unwrap_or("");
        let top = env.root.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let top_valid = crate::platform::limits::is_valid_worker_name(top);
        let lowercase_env = env_name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if top_valid && (env_name.is_empty() || !lowercase_env) {
            sink.report(Some(env), span, format!("{} deploys as `{name}`{origin}, which is not a valid worker name", env.label()))
                .help(format!("set `name` in {} explicitly, in lowercase letters, digits and `-`, or rename the environment", env.label()));
        } else if top_valid && is_dns_label(top) && !is_dns_label(&name) && serves_workers_dev(env)
        {
            sink.report(Some(env), span, format!("the worker name `{name}`{origin} is not a lowercase DNS label, so it cannot be a workers.dev or preview hostname"))
                .severity(Severity::Warning)
                .help(format!("set `name` in {} explicitly, without `_`", env.label()));
        }
        return;
    }
    if name.is_empty() {
        sink.report(Some(env), span, "the worker name is empty").help("give the worker a name");
    } else if name.len() > MAX_LENGTH {
        sink.report(Some(env), span, format!("{} deploys as `{name}`{origin}: {} characters, more than the {MAX_LENGTH} Cloudflare accepts", env.label(), name.len()))
            .help(format!("shorten the name, or set `name` in {} explicitly", env.label()));
    } else if !crate::platform::limits::is_valid_worker_name(&name) {
        sink.report(Some(env), span, format!("the worker name `{name}`{origin} must be lowercase letters, digits, `-` and `_`, not starting with `-`"))
            .help("rename the worker; wrangler refuses this name");
    } else if !is_dns_label(&name) && serves_workers_dev(env) {
        sink.report(Some(env), span, format!("the worker name `{name}`{origin} is not a lowercase DNS label, so it cannot be a workers.dev or preview hostname"))
            .severity(Severity::Warning)
            .help("use lowercase letters, digits and `-`, not starting or ending with `-`");
    }
}

/// Whether the name becomes part of a hostname: a `workers.dev` route (on unless set off, or
/// when the worker has routes) or preview URLs.
fn serves_workers_dev(env: &Environment<'_>) -> bool {
    let flag = |key: &str| env.get(key).and_then(|f| f.node.as_bool());
    let has_routes = env.get("routes").is_some_and(|f| !f.node.items().is_empty())
        || env.get("route").is_some_and(|f| f.node.as_str() != Some(""));
    flag("workers_dev").unwrap_or(!has_routes) || flag("preview_urls") == Some(true)
}

fn is_dns_label(name: &str) -> bool {
    !name.starts_with('-')
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use crate::checks::test_support::{BASE, toml};

    #[test]
    fn good_names_pass() {
        let text = format!("{BASE}[env.staging]\n[env.production]\nname = \"app-prod\"\n");
        assert_eq!(toml("CFG005", &text), Vec::<String>::new());
        assert_eq!(toml("CFG005", "pages_build_output_dir = \"dist\"\n"), Vec::<String>::new());
    }

    #[test]
    fn bad_names_are_reported() {
        let long = "a".repeat(60);
        let text = format!(
            "name = \"{long}\"\nmain = \"x.ts\"\n[env.staging]\n[env.qa]\nname = \"My_App\"\n[env.x]\nname = \"a.b\"\n[env.y]\nname = \"my_app\"\n[env.z]\nname = \"my_app_z\"\nworkers_dev = false\n"
        );
        assert_eq!(
            toml("CFG005", &text),
            [
                format!("3:6 error [staging] env.staging deploys as `{long}-staging` (the top-level name with `-staging` appended): 68 characters, more than the 63 Cloudflare accepts"),
                "5:8 error [qa] the worker name `My_App` must be lowercase letters, digits, `-` and `_`, not starting with `-`".to_owned(),
                "7:8 error [x] the worker name `a.b` must be lowercase letters, digits, `-` and `_`, not starting with `-`".to_owned(),
                "9:8 warning [y] the worker name `my_app` is not a lowercase DNS label, so it cannot be a workers.dev or preview hostname".to_owned(),
            ]
        );
        assert_eq!(
            toml("CFG005", "main = \"x.ts\"\n"),
            ["1:1 error [top] the worker has no `name`; `wrangler deploy` refuses to deploy it"]
        );
        let suffixed = "name = \"my-api\"\nmain = \"x.ts\"\n[env.Staging]\n[env.\"prod.eu\"]\n[env.qa_1]\n[env.good]\n";
        assert_eq!(
            toml("CFG005", suffixed),
            [
                "3:6 error [Staging] env.Staging deploys as `my-api-Staging` (the top-level name with `-Staging` appended), which is not a valid worker name",
                "4:7 error [prod.eu] env.prod.eu deploys as `my-api-prod.eu` (the top-level name with `-prod.eu` appended), which is not a valid worker name",
                "5:6 warning [qa_1] the worker name `my-api-qa_1` (the top-level name with `-qa_1` appended) is not a lowercase DNS label, so it cannot be a workers.dev or preview hostname",
            ]
        );
    }
}
