use super::*;

const TOP: &str = "name = \"api\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-01-15\"\n";

fn project(config: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wrangler.toml"), config).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let project = Project::load(dir.path()).unwrap();
    (dir, project)
}

/// The findings of comparing `left` with `right`, as `severity kind: message`.
fn findings(config: &str, left: &str, right: &str) -> Vec<String> {
    let (_dir, project) = project(config, &[]);
    diff_project(&project, left, right)
        .unwrap()
        .findings
        .iter()
        .map(|f| format!("{} {:?}: {}", f.severity.as_str(), f.kind, f.message))
        .collect()
}

fn row<'a>(diff: &'a EnvironmentDiff, kind: &str, name: &str) -> &'a Row {
    diff.rows.iter().find(|r| r.kind == kind && r.name == name).unwrap()
}

#[test]
fn separate_environments_differ_only_where_they_should() {
    let config = format!(
        "{TOP}[env.staging]\nvars = {{ LOG_LEVEL = \"debug\" }}\nkv_namespaces = [{{ binding = \"CACHE\", id = \"11111111111111111111111111111111\" }}]\nroutes = [\"staging.example.com/*\"]\n[env.production]\nvars = {{ LOG_LEVEL = \"info\" }}\nkv_namespaces = [{{ binding = \"CACHE\", id = \"22222222222222222222222222222222\" }}]\nroutes = [{{ pattern = \"example.com\", custom_domain = true }}]\n"
    );
    let (_dir, project) = project(&config, &[]);
    let diff = diff_project(&project, "staging", "production").unwrap();
    assert_eq!(diff.findings, []);
    assert!(!diff.fails());
    assert_eq!((diff.left.production, diff.right.production), (false, true));
    let worker = row(&diff, "name", "worker");
    assert_eq!(
        (worker.left.as_deref(), worker.right.as_deref()),
        (Some("api-staging"), Some("api-production"))
    );
    let cache = row(&diff, "kv_namespaces", "CACHE");
    assert_eq!(cache.state, State::Differs);
    assert_eq!(cache.right.as_deref(), Some("22222222222222222222222222222222"));
    assert_eq!(row(&diff, "vars", "LOG_LEVEL").state, State::Differs);
    assert_eq!(row(&diff, "routes", "staging.example.com/*").state, State::OnlyLeft);
    assert_eq!(row(&diff, "custom_domain", "example.com").right.as_deref(), Some("custom domain"));
    assert_eq!(row(&diff, "compatibility_date", "compatibility_date").state, State::Same);
}

#[test]
fn shared_resources_are_errors_when_production_is_one_side() {
    let database = "d1_databases = [{ binding = \"DB\", database_name = \"main\", database_id = \"7e3a9c1f-2b4d-4f6a-8c0e-1d3b5a7c9e20\" }]";
    let config = format!(
        "{TOP}[env.staging]\n{database}\n[env.production]\n{database}\n[env.preview]\n{database}\n"
    );
    assert_eq!(
        findings(&config, "staging", "production"),
        [
            "error SharedResource: env.staging (`DB`) and env.production (`DB`) both reach D1 database `7e3a9c1f-2b4d-4f6a-8c0e-1d3b5a7c9e20`: deploying the other reads and writes env.production's production data"
        ]
    );
    assert_eq!(
        findings(&config, "staging", "preview"),
        [
            "warning SharedResource: env.staging (`DB`) and env.preview (`DB`) both reach D1 database `7e3a9c1f-2b4d-4f6a-8c0e-1d3b5a7c9e20`: each reads and writes the other's data"
        ]
    );
    // Without an environment named like production, the top level is production.
    let queue = "queues = { producers = [{ binding = \"JOBS\", queue = \"jobs\" }] }";
    let config = format!(
        "{TOP}{queue}\n[env.staging]\nqueues = {{ consumers = [{{ queue = \"jobs\" }}] }}\n"
    );
    assert_eq!(
        findings(&config, "top", "staging"),
        [
            "error SharedResource: top level (`JOBS`) and env.staging (`jobs`) both reach queue `jobs`: deploying the other reads and writes top level's production data",
            "warning Missing: queue producer binding `JOBS` is in top level but not in env.staging",
        ]
    );
}

#[test]
fn what_one_side_lacks_is_a_warning() {
    let config = format!(
        "{TOP}[env.staging]\nvars = {{ FEATURE_X = \"on\" }}\nr2_buckets = [{{ binding = \"FILES\", bucket_name = \"files-staging\" }}]\nsecrets = {{ required = [\"API_KEY\"] }}\n[env.production]\nsecrets = {{ required = [\"API_KEY\", \"STRIPE_KEY\"] }}\n"
    );
    assert_eq!(
        findings(&config, "staging", "production"),
        [
            "warning Missing: R2 bucket binding `FILES` is in env.staging but not in env.production",
            "warning Missing: var `FEATURE_X` is in env.staging but not in env.production",
            "warning Missing: secret `STRIPE_KEY` is in env.production but not in env.staging",
        ]
    );
}

#[test]
fn local_variable_files_name_secrets_per_environment() {
    let config = format!("{TOP}[env.staging]\n[env.production]\n");
    let (_dir, project) = project(
        &config,
        &[(".dev.vars", "SESSION_SECRET=abc\n"), (".dev.vars.staging", "STAGING_ONLY=1\n")],
    );
    let diff = diff_project(&project, "staging", "production").unwrap();
    assert_eq!(row(&diff, "secret", "STAGING_ONLY").left.as_deref(), Some(".dev.vars.staging"));
    let shared = row(&diff, "secret", "SESSION_SECRET");
    assert_eq!((shared.left.as_deref(), shared.right.as_deref()), (None, Some(".dev.vars")));
    // The values are never read into the diff.
    assert!(!json(&diff).contains("abc"));
}

#[test]
fn runtimes_and_worker_names_that_should_differ_or_not() {
    let config = format!(
        "{TOP}compatibility_flags = [\"nodejs_compat\"]\n[env.staging]\ncompatibility_date = \"2025-03-01\"\n[env.production]\nname = \"api\"\ncompatibility_flags = [\"nodejs_compat\", \"no_global_navigator\"]\n"
    );
    assert_eq!(
        findings(&config, "staging", "production"),
        [
            "warning CompatibilityDiffers: the compatibility flags differ (env.staging: `nodejs_compat`, env.production: `no_global_navigator, nodejs_compat`): what runs in env.production is not what was tried in the other",
            "info CompatibilityDiffers: the compatibility date differs (env.staging: `2025-03-01`, env.production: `2025-01-15`): what runs in env.production is not what was tried in the other",
        ]
    );
    assert_eq!(
        findings(&config, "top", "production"),
        [
            "error SameWorker: top level and env.production both deploy as worker `api`: each deploy replaces the other",
            "warning CompatibilityDiffers: the compatibility flags differ (top level: `nodejs_compat`, env.production: `no_global_navigator, nodejs_compat`): what runs in env.production is not what was tried in the other",
        ]
    );
}

#[test]
fn debug_switches_count_on_the_production_side_only() {
    let config = format!(
        "{TOP}[env.staging]\nvars = {{ DEBUG = \"true\", LOG_LEVEL = \"debug\" }}\n[env.production]\nvars = {{ DEBUG = \"true\", LOG_LEVEL = \"debug\" }}\n"
    );
    assert_eq!(
        findings(&config, "staging", "production"),
        [
            "warning DebugInProduction: vars.DEBUG turns debugging on in env.production, the production side",
            "warning DebugInProduction: vars.LOG_LEVEL logs at debug level in env.production, the production side",
        ]
    );
}

#[test]
fn secret_looking_values_are_never_shown() {
    let token = "sk_live_51HqLyAbCdEfGhIjKlMnOpQrStUv";
    let config = format!(
        "{TOP}[env.staging]\nvars = {{ STRIPE = \"{token}\", MODE = \"test\", API_KEY = \"abc123\" }}\n[env.production]\nvars = {{ STRIPE = \"{token}\", MODE = \"live\", API_KEY = \"def456\", PUBLIC_KEY = \"pk1\" }}\n"
    );
    let (_dir, project) = project(&config, &[]);
    let diff = diff_project(&project, "staging", "production").unwrap();
    let stripe = row(&diff, "vars", "STRIPE");
    assert_eq!((stripe.left.as_deref(), stripe.state), (Some("<redacted>"), State::Same));
    assert_eq!(row(&diff, "vars", "MODE").right.as_deref(), Some("live"));
    // A secret's name hides a value that does not look random, and says when it differs.
    let key = row(&diff, "vars", "API_KEY");
    assert_eq!((key.right.as_deref(), key.state), (Some("<redacted>"), State::Differs));
    assert_eq!(row(&diff, "vars", "PUBLIC_KEY").right.as_deref(), Some("pk1"));
    assert!(!json(&diff).contains("def456"));
    assert!(!json(&diff).contains(token) && !pretty(&diff).contains(token));
}

#[test]
fn webhook_urls_are_never_shown() {
    let hook = "https://hooks.slack.com/services/T000/B000/XXXX";
    let config = format!(
        "{TOP}[vars]\nALERTS = \"{hook}\"\n[env.production]\nvars = {{ ALERTS = \"https://discord.com/api/webhooks/1/abc\" }}\n"
    );
    let (_dir, project) = project(&config, &[]);
    let diff = diff_project(&project, "top", "production").unwrap();
    let alerts = row(&diff, "vars", "ALERTS");
    assert_eq!(
        (alerts.left.as_deref(), alerts.right.as_deref(), alerts.state),
        (Some("<redacted>"), Some("<redacted>"), State::Differs)
    );
    assert!(!json(&diff).contains("hooks.slack") && !pretty(&diff).contains("hooks.slack"));
}

#[test]
fn environments_must_be_declared() {
    let (_dir, declared) = project(&format!("{TOP}[env.staging]\n"), &[]);
    let error = diff_project(&declared, "staging", "prod").unwrap_err();
    assert!(error.to_string().ends_with("(declared: staging; `top` is the top level)"), "{error}");
    let same = diff_project(&declared, "top", "top").unwrap();
    assert_eq!((same.findings.len(), same.left.production), (0, true));
    let (_other, broken) = project("name = \n", &[]);
    assert!(matches!(diff_project(&broken, "top", "top"), Err(DiffError::Parse { .. })));
}
