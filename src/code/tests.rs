//! Every way real Workers code reaches its bindings, in TypeScript and JavaScript, and the traps
//! that must not count as a use.

use super::{PathAliases, analyse};

/// Writes the files, analyses `main`, and returns the used names (sorted), the methods called on
/// each (`NAME.method`), and the number of dynamic reads.
fn uses(main: &str, files: &[(&str, &str)]) -> (Vec<String>, Vec<String>, usize) {
    let root = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let model = analyse(root.path(), main, &PathAliases::load(root.path()));
    assert!(model.gaps.is_empty(), "{:?}", model.gaps);
    let mut names: Vec<String> = model.used_names().into_iter().map(str::to_owned).collect();
    names.sort();
    let mut methods: Vec<String> =
        model.method_calls.iter().map(|c| format!("{}.{}", c.binding, c.method)).collect();
    methods.sort();
    methods.dedup();
    (names, methods, model.dynamic_uses.len())
}

fn names(main: &str, files: &[(&str, &str)]) -> Vec<String> {
    uses(main, files).0
}

#[test]
fn handler_parameters_under_any_name() {
    let ts = "export default {\n  async fetch(request: Request, bindings: Env, ctx: ExecutionContext) {\n    return new Response(await bindings.CACHE.get(\"k\"));\n  },\n  async scheduled(controller, env) { await env.DB.exec(\"DELETE FROM t\"); },\n  async queue(batch, env) { for (const m of batch.messages) await env.STORE.put(m.id, m.body); },\n} satisfies ExportedHandler<Env>;\n";
    let (used, methods, _) = uses("src/index.ts", &[("src/index.ts", ts)]);
    assert_eq!(used, ["CACHE", "DB", "STORE"]);
    assert_eq!(methods, ["CACHE.get", "DB.exec", "STORE.put"]);
}

#[test]
fn destructured_env_parameters() {
    let js = "export default {\n  async fetch(request, { DB, CACHE: cache }) {\n    await cache.get('x');\n    return Response.json(await DB.prepare('SELECT 1').all());\n  },\n};\n";
    let (used, methods, _) = uses("src/index.js", &[("src/index.js", js)]);
    assert_eq!(used, ["CACHE", "DB"]);
    assert_eq!(methods, ["CACHE.get", "DB.prepare"]);
}

#[test]
fn this_env_in_entrypoints_durable_objects_and_workflows() {
    let ts = "import { DurableObject, WorkerEntrypoint, WorkflowEntrypoint } from \"cloudflare:workers\";\nexport class Room extends DurableObject<Env> {\n  constructor(ctx: DurableObjectState, env: Env) { super(ctx, env); env.ROOM_CONFIG; }\n  async hello() { return this.env.GREETING; }\n}\nexport class Flow extends WorkflowEntrypoint<Env> {\n  async run() { await this.env.QUEUE.send({}); }\n}\nexport default class extends WorkerEntrypoint<Env> {\n  async fetch() { return this.env.ASSETS.fetch(\"/\"); }\n}\nclass Plain { go() { return this.env.NOT_A_BINDING; } }\n";
    assert_eq!(
        names("src/index.ts", &[("src/index.ts", ts)]),
        ["ASSETS", "GREETING", "QUEUE", "ROOM_CONFIG"]
    );
}

#[test]
fn hono_context_env() {
    let ts = "import { Hono } from \"hono\";\nconst app = new Hono<{ Bindings: Env }>();\napp.get(\"/\", async (c) => c.json(await c.env.DB.prepare(\"SELECT 1\").first()));\napp.post(\"/kv\", async (ctx) => { await ctx.env.KV.put(\"a\", \"b\"); return ctx.text(\"ok\"); });\nexport default app;\n";
    let (used, methods, _) = uses("src/index.ts", &[("src/index.ts", ts)]);
    assert_eq!(used, ["DB", "KV"]);
    assert_eq!(methods, ["DB.prepare", "KV.put"]);
}

#[test]
fn pages_functions_context() {
    let js = "export const onRequest = async (context) => new Response(await context.env.KV.get('k'));\nexport async function onRequestPost({ request, env }) { return env.API.fetch(request); }\n";
    assert_eq!(names("functions/index.js", &[("functions/index.js", js)]), ["API", "KV"]);
}

#[test]
fn env_imported_from_cloudflare_workers() {
    let ts = "import { env } from \"cloudflare:workers\";\nconst prefix = env.PREFIX;\nexport default { fetch() { return new Response(env[\"GREETING\"] + prefix); } };\n";
    assert_eq!(names("src/index.ts", &[("src/index.ts", ts)]), ["GREETING", "PREFIX"]);
}

#[test]
fn env_passed_to_helpers_in_other_modules() {
    let entry = "import { handle } from \"./handler\";\nimport save from \"./store.js\";\nexport default {\n  async fetch(request, env) {\n    await save(env, request);\n    return handle(request, env);\n  },\n};\n";
    let handler = "import { audit } from \"./lib\";\nexport function handle(request: Request, e: Env) {\n  audit(e.LOGS);\n  return e.QUEUE.send(request.url);\n}\n";
    let store = "export default async function save(bindings, request) { await bindings.BUCKET.put(request.url, request.body); }\n";
    let lib = "export const audit = (logs) => logs.writeDataPoint({});\n";
    let files = [
        ("src/index.js", entry),
        ("src/handler.ts", handler),
        ("src/store.ts", store),
        ("src/lib/index.ts", lib),
    ];
    let (used, methods, _) = uses("src/index.js", &files);
    assert_eq!(used, ["BUCKET", "LOGS", "QUEUE"]);
    assert_eq!(methods, ["BUCKET.put", "QUEUE.send"]);
}

#[test]
fn aliases_carry_the_binding() {
    let ts = "export default {\n  async fetch(request: Request, env: Env) {\n    const db = env.DB;\n    const { SESSIONS: sessions } = env;\n    await sessions.delete(\"x\");\n    return Response.json(await db.prepare(\"SELECT 1\").all());\n  },\n};\n";
    let (used, methods, _) = uses("src/index.ts", &[("src/index.ts", ts)]);
    assert_eq!(used, ["DB", "SESSIONS"]);
    assert_eq!(methods, ["DB.prepare", "SESSIONS.delete"]);
}

#[test]
fn a_variable_merely_named_env_is_not_env() {
    let js = "const env = process.env;\nconsole.log(env.NODE_ENV);\nfunction configure(env) { return env.DEBUG; }\nexport default { fetch(request) { const env = { MODE: 'x' }; return new Response(env.MODE); } };\n";
    assert_eq!(names("src/index.js", &[("src/index.js", js)]), Vec::<String>::new());
}

#[test]
fn a_binding_used_only_in_a_test_file_is_not_used() {
    let entry = "export default { fetch(request, env) { return env.API.fetch(request); } };\n";
    let test = "import worker from \"./index\";\ntest('x', () => worker.fetch(new Request('http://x'), { TEST_ONLY: 1, API: { fetch() {} } }));\nenv.TEST_ONLY;\n";
    assert_eq!(
        names("src/index.ts", &[("src/index.ts", entry), ("src/index.test.ts", test)]),
        ["API"]
    );
}

#[test]
fn dynamic_reads_are_counted_not_guessed() {
    let ts = "export default {\n  fetch(request: Request, env: Record<string, KVNamespace>) {\n    const name = new URL(request.url).searchParams.get(\"ns\")!;\n    return env[name].get(\"k\");\n  },\n};\n";
    let (used, _, dynamic) = uses("src/index.ts", &[("src/index.ts", ts)]);
    assert_eq!((used.len(), dynamic), (0, 1));
}

#[test]
fn sql_is_collected_with_its_binding() {
    let ts = "const ALL = \"SELECT id FROM notes\";\nexport default {\n  async fetch(request: Request, env: Env) {\n    await env.DB.prepare(ALL).all();\n    await env.DB.prepare(`SELECT * FROM notes WHERE id = ${request.url}`).all();\n    return env.DB.prepare(\"SELECT \" + request.url).all();\n  },\n};\n";
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("src")).unwrap();
    std::fs::write(root.path().join("src/index.ts"), ts).unwrap();
    let model = analyse(root.path(), "src/index.ts", &PathAliases::default());
    let sql: Vec<Option<&str>> = model.queries.iter().map(|q| q.sql.as_deref()).collect();
    assert_eq!(sql, [Some("SELECT id FROM notes"), Some("SELECT * FROM notes WHERE id = ?"), None]);
    assert_eq!(model.queries[1].placeholders, 1);
}

#[test]
fn handlers_exported_through_a_name_or_a_wrapper() {
    let named = "const handler = { async fetch(request, env) { return env.A.fetch(request); } };\nexport default handler;\n";
    assert_eq!(names("src/index.js", &[("src/index.js", named)]), ["A"]);
    let renamed = "const worker = { fetch(request, env) { return env.B.get(\"k\"); } };\nexport { worker as default };\n";
    assert_eq!(names("src/index.js", &[("src/index.js", renamed)]), ["B"]);
    let wrapped = "import * as Sentry from \"@sentry/cloudflare\";\nexport default Sentry.withSentry((env) => ({ dsn: env.SENTRY_DSN }), {\n  async fetch(request, env) { return env.C.fetch(request); },\n});\n";
    assert_eq!(names("src/index.js", &[("src/index.js", wrapped)]), ["C"]);
}

#[test]
fn exported_values_count_as_exports() {
    let ts = "import { DurableObject } from \"cloudflare:workers\";\nclass Base extends DurableObject {}\nexport const Counter = instrument(Base);\nexport default { fetch() { return new Response(); } };\n";
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("src")).unwrap();
    std::fs::write(root.path().join("src/index.ts"), ts).unwrap();
    let model = analyse(root.path(), "src/index.ts", &PathAliases::default());
    let exported: Vec<&str> = model.exported_classes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(exported, ["Counter"]);
}

#[test]
fn inner_scopes_hide_env_only_inside_them() {
    let js = "export default {\n  async fetch(request, env) {\n    if (request.method === \"OPTIONS\") { const env = { ORIGIN: \"*\" }; return new Response(env.ORIGIN); }\n    for (const env of [{ X: 1 }]) { console.log(env.X); }\n    try { await env.KV.get(\"k\"); } catch (env) { console.log(env.message); }\n    return env.MISSING.get(\"k\");\n  },\n};\n";
    assert_eq!(names("src/index.js", &[("src/index.js", js)]), ["KV", "MISSING"]);
}

#[test]
fn only_callbacks_and_pages_handlers_take_a_context() {
    let ts = "export function resolveConfig(options: { env: { MODE: string } }) { return options.env.MODE; }\nexport default { fetch() { return new Response(resolveConfig({ env: { MODE: \"x\" } })); } };\n";
    assert_eq!(names("src/index.ts", &[("src/index.ts", ts)]), Vec::<String>::new());
}

#[test]
fn env_through_a_namespace_import_and_into_frameworks() {
    let ts = "import * as workers from \"cloudflare:workers\";\nexport default { fetch() { return workers.env.API.fetch(\"https://x\"); } };\n";
    assert_eq!(names("src/index.ts", &[("src/index.ts", ts)]), ["API"]);
    let handed = "import { createRequestHandler } from \"react-router\";\nconst handler = createRequestHandler(() => import(\"virtual:app\"));\nexport default { fetch(request, env, ctx) { return handler(request, { cloudflare: { env, ctx } }); } };\n";
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("src")).unwrap();
    std::fs::write(root.path().join("src/index.js"), handed).unwrap();
    assert!(analyse(root.path(), "src/index.js", &PathAliases::default()).env_escapes);
    std::fs::write(
        root.path().join("src/index.js"),
        "import { router } from \"itty-router\";\nexport default { ...router };\n",
    )
    .unwrap();
    assert!(analyse(root.path(), "src/index.js", &PathAliases::default()).env_escapes);
}
