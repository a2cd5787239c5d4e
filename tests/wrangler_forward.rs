//! `atom-sage wrangler …`: the project's own wrangler 4.86.0, with `deploy --validate` checking
//! first. wrangler runs for real, offline (tests/oracle/offline.mjs), with `--dry-run`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `atom-sage ARGS` in `dir` with wrangler kept offline; returns exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str], path: Option<&Path>) -> (i32, String, String) {
    let offline = repository().join("tests/oracle/offline.mjs");
    assert!(
        repository().join("node_modules/.bin/wrangler").is_file(),
        "wrangler is not installed: run `npm ci` in the repository first"
    );
    let mut command = Command::new(env!("CARGO_BIN_EXE_atom-sage"));
    command
        .args(args)
        .current_dir(dir)
        .env("NODE_OPTIONS", format!("--import={}", offline.display()))
        .env("NO_COLOR", "1")
        .env("CI", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CLOUDFLARE_ENV")
        .env_remove("CLOUDFLARE_API_TOKEN");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command.output().expect("atom-sage runs");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn example(name: &str) -> PathBuf {
    repository().join("examples").join(name)
}

#[test]
fn a_clean_project_is_checked_then_handed_to_wrangler() {
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("dist");
    let (code, stdout, stderr) = run(
        &example("full-stack"),
        &[
            "wrangler",
            "deploy",
            "--env",
            "staging",
            "--validate",
            "--dry-run",
            "--outdir",
            outdir.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "the report comes first, on stderr: {stderr}");
    assert!(stdout.contains("--dry-run: exiting now."), "wrangler ran: {stdout}");
    // `--validate` never reaches wrangler, which refuses flags it does not know.
    assert!(!stdout.contains("Unknown argument") && !stderr.contains("Unknown argument"));
    assert!(outdir.join("index.js").is_file(), "wrangler bundled the worker");
}

#[test]
fn errors_stop_the_deploy_before_wrangler_starts() {
    let out = tempfile::tempdir().unwrap();
    let outdir = out.path().join("dist");
    let args =
        ["wrangler", "deploy", "--validate", "--dry-run", "--outdir", outdir.to_str().unwrap()];
    let (code, stdout, stderr) = run(&example("broken"), &args, None);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    // The top level only, which is what `wrangler deploy` without `--env` uploads.
    assert!(stderr.contains("atom-sage: not deploying: 14 errors above."), "{stderr}");
    assert!(stderr.contains("KV001"), "{stderr}");
    assert_eq!(stdout, "", "wrangler never started");
    assert!(!outdir.exists());

    // `--no-validate` after `--validate` skips the checks: wrangler runs and answers for itself.
    let mut skipped = args.to_vec();
    skipped.insert(3, "--no-validate");
    let (code, _, stderr) = run(&example("broken"), &skipped, None);
    assert!(!stderr.contains("not deploying"), "{stderr}");
    let (direct, _, _) = run(
        &example("broken"),
        &["wrangler", "deploy", "--dry-run", "--outdir", outdir.to_str().unwrap()],
        None,
    );
    assert_eq!(code, direct, "wrangler's own exit code is passed through");
}

#[test]
fn other_commands_and_flags_pass_through_untouched() {
    let (code, stdout, _) = run(&example("full-stack"), &["wrangler", "--version"], None);
    assert_eq!((code, stdout.trim()), (0, "4.86.0"));
    // `--help` is wrangler's, not atom-sage's.
    let (code, stdout, stderr) =
        run(&example("full-stack"), &["wrangler", "deploy", "--help"], None);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Deploy a Worker to Cloudflare"), "{stdout}");
    let (code, _, stderr) = run(&example("full-stack"), &["wrangler", "dev", "--validate"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("--validate applies to `wrangler deploy` and `wrangler versions upload`, not `wrangler dev`"), "{stderr}");
}

#[test]
fn a_project_without_wrangler_is_told_how_to_install_it() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("wrangler.toml"),
        "name = \"a\"\nmain = \"a.js\"\ncompatibility_date = \"2025-01-15\"\n",
    )
    .unwrap();
    std::fs::write(
        project.path().join("a.js"),
        "export default { fetch() { return new Response('') } }\n",
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) =
        run(project.path(), &["wrangler", "deploy", "--validate"], Some(empty.path()));
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("no wrangler found") && stderr.contains("npm install --save-dev wrangler"),
        "{stderr}"
    );
}

#[test]
fn help_is_wrangler_s_even_with_validate() {
    let (code, stdout, stderr) =
        run(&example("broken"), &["wrangler", "deploy", "--validate", "--help"], None);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Deploy a Worker to Cloudflare"), "{stdout}");
    assert!(!stderr.contains("not deploying"), "no checks for a help request: {stderr}");
}

/// A project whose top level is clean and whose staging environment is not, with the
/// repository's wrangler reachable from it.
fn top_clean_staging_broken() -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("wrangler.toml"),
        "name = \"a\"\nmain = \"a.js\"\ncompatibility_date = \"2025-01-15\"\n\n[env.staging.triggers]\ncrons = [\"0 */6 * * * *\"]\n",
    )
    .unwrap();
    std::fs::write(
        project.path().join("a.js"),
        "export default { fetch() { return new Response('') } }\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        repository().join("node_modules"),
        project.path().join("node_modules"),
    )
    .unwrap();
    project
}

#[cfg(unix)]
#[test]
fn only_what_the_deploy_uploads_is_checked() {
    let project = top_clean_staging_broken();
    let outdir = project.path().join("dist");
    let outdir = outdir.to_str().unwrap();
    // No --env: wrangler deploys the top level, so staging's cron does not block it.
    let (code, stdout, stderr) = run(
        project.path(),
        &["wrangler", "deploy", "--validate", "--dry-run", "--outdir", outdir],
        None,
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("Environments: top level (a)\n"), "{stderr}");
    let (code, _, stderr) = run(
        project.path(),
        &["wrangler", "deploy", "--validate", "--env=", "--dry-run", "--outdir", outdir],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(
        project.path(),
        &["wrangler", "deploy", "--validate", "--e", "staging", "--dry-run", "--outdir", outdir],
        None,
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("TRG001") && stderr.contains("not deploying to staging: 1 error above"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn stopping_atom_sage_stops_wrangler_and_returns_its_exit_code() {
    use std::os::unix::fs::PermissionsExt as _;
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    std::fs::write(
        dir.join("wrangler.toml"),
        "name = \"a\"\nmain = \"a.js\"\ncompatibility_date = \"2025-01-15\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.js"), "export default {}\n").unwrap();
    let bin = dir.join("node_modules/.bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("log");
    // A stand-in for wrangler that records what happens to it and ends with its own code.
    std::fs::write(
        bin.join("wrangler"),
        format!(
            "#!/bin/sh\ntrap 'echo TERM >> {log}; exit 7' TERM\necho started >> {log}\nfor i in $(seq 1 100); do sleep 0.1; done\necho finished >> {log}\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(bin.join("wrangler"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_atom-sage"))
        .args(["wrangler", "deploy", "--validate"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&log).unwrap_or_default().contains("started") {
        assert!(start.elapsed().as_secs() < 30, "wrangler never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(7), "wrangler's own exit code");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "started\nTERM\n");
}
