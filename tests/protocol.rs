//! `atom-sage serve --stdio` as a client sees it: a child process, one JSON message a line.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// Sends each line to a fresh server and returns the answers it wrote, with its exit code.
fn session(lines: &[String]) -> (Vec<Value>, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
        .args(["serve", "--stdio"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut stdin = child.stdin.take().expect("stdin");
    for line in lines {
        writeln!(stdin, "{line}").expect("the server reads");
    }
    drop(stdin);
    let answers = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|line| serde_json::from_str(&line.expect("a line")).expect("each answer is JSON"))
        .collect();
    let status = child.wait().expect("the server exits");
    (answers, status.code().expect("an exit code"))
}

fn request(id: u64, method: &str, params: &Value) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string()
}

fn initialize() -> String {
    request(0, "initialize", &json!({ "clientInfo": { "name": "test" } }))
}

#[test]
fn initialize_then_validate_then_shutdown() {
    let (answers, code) = session(&[
        initialize(),
        request(1, "validate", &json!({ "path": "examples/broken", "env": "production" })),
        request(2, "shutdown", &Value::Null),
        // Nothing after shutdown is read.
        request(3, "validate", &json!({ "path": "examples/full-stack" })),
    ]);
    assert_eq!(code, 0);
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["id"], 0);
    assert_eq!(answers[0]["result"]["protocolVersion"], "1.0");
    assert_eq!(answers[0]["result"]["serverInfo"]["version"], atom_sage::VERSION);
    let report = &answers[1]["result"];
    assert_eq!(report["schema"], 1);
    let envs: Vec<&Value> =
        report["environments"].as_array().unwrap().iter().map(|e| &e["name"]).collect();
    assert_eq!(envs, [&Value::Null, &json!("production")]);
    assert!(report["summary"]["errors"].as_u64().unwrap() > 0, "{report}");
    // The same report `check --format json` prints.
    let cli = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
        .args(["check", "examples/broken", "--env", "production", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let printed: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(report, &printed);
    assert_eq!(answers[2], json!({ "jsonrpc": "2.0", "id": 2, "result": null }));
}

#[test]
fn check_config_reads_text_in_memory() {
    let text = "name = \"app\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-01-15\"\n\n[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"placeholder-kv-id\"\n";
    let (answers, _) = session(&[
        initialize(),
        request(1, "checkConfig", &json!({ "text": text, "format": "toml" })),
        request(2, "checkConfig", &json!({ "text": "{\"name\": 1", "format": "jsonc" })),
        request(3, "checkConfig", &json!({ "text": "", "format": "yaml" })),
    ]);
    let diagnostics = answers[1]["result"]["diagnostics"].as_array().unwrap();
    let kv = diagnostics.iter().find(|d| d["code"] == "KV001").expect("KV001");
    assert_eq!((kv["line"].as_u64(), kv["column"].as_u64()), (Some(7), Some(6)));
    assert_eq!(kv["file"], "wrangler.toml");
    // A config held only in memory has no files around it: nothing says `main` is missing.
    assert_eq!(answers[1]["result"]["summary"]["errors"], 1, "{}", answers[1]);
    assert_eq!(answers[2]["result"]["diagnostics"][0]["code"], "CFG001");
    assert_eq!(answers[3]["error"]["code"], -32602);
}

#[test]
fn errors_are_numbered_and_the_server_keeps_going() {
    let (answers, code) = session(&[
        request(1, "validate", &json!({ "path": "." })),
        initialize(),
        "{not json".to_owned(),
        json!({ "id": 5, "method": "validate" }).to_string(),
        request(6, "nope", &Value::Null),
        request(7, "validate", &json!({ "paht": "." })),
        request(8, "validate", &json!({ "path": "examples/does-not-exist" })),
        request(9, "validate", &json!({ "path": "examples/full-stack", "env": "prod" })),
        // A notification gets no answer, even when it fails.
        json!({ "jsonrpc": "2.0", "method": "nope" }).to_string(),
        "[]".to_owned(),
        json!([
            { "jsonrpc": "2.0", "id": 10, "method": "validate", "params": { "path": "examples/full-stack" } },
            { "jsonrpc": "2.0", "method": "validate", "params": { "path": "examples/full-stack" } },
            { "jsonrpc": "2.0", "id": 11, "method": "diff", "params": {} }
        ])
        .to_string(),
    ]);
    assert_eq!(code, 0, "the input ended, so the server exits cleanly");
    let codes: Vec<&Value> = answers.iter().map(|a| &a["error"]["code"]).collect();
    assert_eq!(
        codes[..8],
        [
            json!(-32002),
            Value::Null,
            json!(-32700),
            json!(-32600),
            json!(-32601),
            json!(-32602),
            json!(1001),
            json!(1002)
        ]
        .iter()
        .collect::<Vec<_>>()[..]
    );
    assert_eq!(answers[3]["id"], 5);
    assert_eq!(answers[7]["error"]["data"]["available"], json!(["staging", "production"]));
    assert_eq!(answers[8]["error"]["code"], -32600, "an empty batch");
    let batch = answers[9].as_array().expect("a batch is answered with an array");
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[0]["result"]["summary"]["errors"], 0);
    assert_eq!(batch[1]["error"]["code"], -32602, "diff needs a path and two environments");
    assert_eq!(answers.len(), 10);
}

#[test]
fn diff_intent_and_trail() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("wrangler.toml"),
        "name = \"api\"\nmain = \"a.js\"\ncompatibility_date = \"2025-01-15\"\n\n[env.staging]\nkv_namespaces = [{ binding = \"KV\", id = \"0123456789abcdef0123456789abcdef\" }]\n\n[env.production]\nkv_namespaces = [{ binding = \"KV\", id = \"0123456789abcdef0123456789abcdef\" }]\n",
    )
    .unwrap();
    let path = project.path().to_str().unwrap();
    let (answers, _) = session(&[
        initialize(),
        request(1, "diff", &json!({ "path": path, "left": "staging", "right": "production" })),
        request(
            2,
            "parseIntent",
            &json!({ "text": "DEPLOY \"Deploy api worker v2.3 to prod - CTFWI: Validate all services\"", "path": path }),
        ),
        request(
            3,
            "trail/append",
            &json!({ "path": path, "entry": { "action": "deploy", "environment": "production", "intent": "ship it with token ghp_0123456789abcdefghijklmnopqrstuvwxyz" } }),
        ),
        request(
            4,
            "trail/append",
            &json!({ "path": path, "entry": { "action": "DEPLOY", "outcome": "succeeded", "operation": "ATOM-NOPE-20260101-001" } }),
        ),
        request(5, "trail/list", &json!({ "path": path })),
        request(6, "trail/verify", &json!({ "path": path })),
        request(7, "diff", &json!({ "path": path, "left": "staging", "right": "qa" })),
        request(8, "parseIntent", &json!({ "text": "" })),
        request(9, "diff", &json!({ "path": "examples/nope", "left": "a", "right": "b" })),
    ]);
    let diff = &answers[1]["result"];
    assert_eq!(diff["left"]["name"], "staging");
    let shared =
        diff["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "shared_resource");
    assert_eq!(shared.expect("the shared namespace")["severity"], "error", "{diff}");
    let intent = &answers[2]["result"];
    assert_eq!(intent["action"], "DEPLOY");
    assert_eq!(intent["worker"], "api");
    assert_eq!(intent["version"], "v2.3");
    assert_eq!(intent["environment"], "production", "matched against the config: {intent}");
    assert_eq!(intent["checks"][0]["kind"], "all_services");
    let entry = &answers[3]["result"];
    let tag = entry["tag"].as_str().unwrap();
    assert!(tag.starts_with("ATOM-DEPLOY-") && tag.ends_with("-001"), "{tag}");
    assert_eq!(entry["outcome"], "started");
    assert!(!entry["intent"].as_str().unwrap().contains("ghp_"), "the token was redacted: {entry}");
    assert_eq!(answers[4]["error"]["code"], 1004, "an outcome for an operation that never started");
    assert_eq!(answers[5]["result"]["entries"].as_array().unwrap().len(), 1);
    assert_eq!(answers[6]["result"]["entries"], 1);
    assert_eq!(answers[6]["result"]["problem"], Value::Null);
    assert_eq!(answers[7]["error"]["code"], 1002);
    assert_eq!(answers[8]["error"]["code"], -32602);
    assert_eq!(answers[9]["error"]["code"], 1001, "{}", answers[9]);
    let written = std::fs::read_to_string(project.path().join(".atom-sage/trail.jsonl")).unwrap();
    assert!(!written.contains("ghp_"));
}

#[test]
fn a_config_that_does_not_parse_is_1003_where_a_report_cannot_say_it() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("wrangler.jsonc"), "{ \"name\": \"a\" \"main\": 1 }")
        .unwrap();
    let path = project.path().to_str().unwrap();
    let (answers, _) = session(&[
        initialize(),
        request(1, "diff", &json!({ "path": path, "left": "top", "right": "top" })),
        request(2, "parseIntent", &json!({ "text": "CHECK \"Check a in staging\"", "path": path })),
        request(3, "validate", &json!({ "path": path })),
    ]);
    assert_eq!(answers[1]["error"]["code"], 1003, "{}", answers[1]);
    assert_eq!(answers[2]["error"]["code"], 1003, "{}", answers[2]);
    assert_eq!(answers[3]["result"]["diagnostics"][0]["code"], "CFG001");
}

#[test]
fn a_line_that_is_not_utf8_is_answered_and_the_session_goes_on() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
        .args(["serve", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(initialize().as_bytes()).unwrap();
    stdin.write_all(b"\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"parseIntent\",\"params\":{\"text\":\"\xff\xfe\"}}\r\n").unwrap();
    stdin.write_all(request(2, "shutdown", &Value::Null).as_bytes()).unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let answers: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(answers.len(), 3, "{answers:?}");
    assert_eq!(answers[1]["error"]["code"], -32700);
    assert_eq!(answers[2]["result"], Value::Null);
    assert!(output.status.success());
}
