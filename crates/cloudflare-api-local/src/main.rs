//! `cloudflare-api-local --state FILE [--port N] [--data-dir DIR]`: serves the state on
//! 127.0.0.1 until killed. Prints exactly one line on stdout when ready,
//! `listening on http://127.0.0.1:PORT/client/v4`; logs one line per request on stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use cloudflare_api_local::{Options, Server, State};

const USAGE: &str = "usage: cloudflare-api-local --state FILE [--port N] [--data-dir DIR]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cloudflare-api-local: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut state_file = None;
    let mut options = Options { log_to_stderr: true, ..Options::default() };
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        let mut value =
            |flag: &str| arguments.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match argument.as_str() {
            "--state" => state_file = Some(PathBuf::from(value("--state")?)),
            "--port" => {
                let port = value("--port")?;
                options.port =
                    port.parse().map_err(|_| format!("--port {port:?} is not a port number"))?;
            }
            "--data-dir" => options.data_dir = Some(PathBuf::from(value("--data-dir")?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let state_file = state_file.ok_or_else(|| format!("--state is required\n{USAGE}"))?;
    let text = std::fs::read_to_string(&state_file)
        .map_err(|error| format!("cannot read {}: {error}", state_file.display()))?;
    let state =
        State::from_json(&text).map_err(|error| format!("{}: {error}", state_file.display()))?;
    let server = Server::start_with(state, options).map_err(|error| error.to_string())?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {}", server.base_url()).map_err(|error| error.to_string())?;
    stdout.flush().map_err(|error| error.to_string())?;
    drop(stdout);
    loop {
        std::thread::park();
    }
}
