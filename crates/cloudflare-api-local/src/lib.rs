//! A Cloudflare API v4 server on loopback, for testing tools that talk to the real one
//! (atom-sage's account checks, and wrangler itself) without the network.
//!
//! It answers with the real paths, envelopes, pagination and error codes, keeps D1 databases in
//! real SQLite files, accepts the uploads and deployments wrangler makes, and can be told to be
//! slow, rate limited, failing, cut short or silent.
//!
//! ```no_run
//! use cloudflare_api_local::{Server, State};
//!
//! let state = State::from_json(r#"{"kv_namespaces": [{"title": "CACHE"}]}"#).unwrap();
//! let server = Server::start(state).unwrap();
//! println!("{}", server.base_url()); // http://127.0.0.1:PORT/client/v4
//! assert_eq!(server.requests().len(), 0);
//! ```

mod auth;
pub mod d1;
mod envelope;
pub mod faults;
pub mod http;
pub mod ids;
mod multipart;
pub(crate) mod routes;
pub mod state;
pub mod store;
mod upload;

use std::io::{BufReader, BufWriter, ErrorKind};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub use faults::Faults;
pub use ids::{DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN};
pub use state::State;
pub use store::BuildError;

use crate::faults::Action;
use crate::http::{Request, Response};
use crate::store::Store;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The state is inconsistent or its D1 seed failed.
    #[error("the state cannot be loaded: {0}")]
    State(#[from] BuildError),
    /// The port could not be bound or the data directory made.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// One request as the server saw it, for tests to count calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path after `/client/v4`, e.g. `/accounts/abc/d1/database`.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// The status answered; 0 for a request never answered.
    pub status: u16,
}

/// How to start a server.
#[derive(Debug, Default)]
pub struct Options {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Where the D1 files live; a temporary directory, removed on drop, when `None`.
    pub data_dir: Option<PathBuf>,
    /// Print one line per request on stderr.
    pub log_to_stderr: bool,
}

struct Shared {
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    log: Mutex<Vec<LoggedRequest>>,
    stopping: AtomicBool,
    log_to_stderr: bool,
}

/// A running server; it stops when dropped.
pub struct Server {
    base_url: String,
    address: std::net::SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    data_dir: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts a server on a free loopback port with a temporary data directory.
    ///
    /// # Errors
    /// When the state is inconsistent or the socket cannot be bound.
    pub fn start(state: State) -> Result<Server, StartError> {
        Server::start_with(state, Options::default())
    }

    /// Starts a server with explicit options.
    ///
    /// # Errors
    /// When the state is inconsistent or the socket or data directory cannot be made.
    pub fn start_with(state: State, options: Options) -> Result<Server, StartError> {
        let io = |what: &str| {
            let what = what.to_owned();
            move |source| StartError::Io { what, source }
        };
        let (data_dir, temporary) = if let Some(dir) = options.data_dir {
            std::fs::create_dir_all(&dir).map_err(io("cannot create the data directory"))?;
            (dir, None)
        } else {
            let temporary =
                tempfile::tempdir().map_err(io("cannot create a temporary directory"))?;
            (temporary.path().to_path_buf(), Some(temporary))
        };
        let store = Store::build(&state, &data_dir)?;
        let listener = TcpListener::bind(("127.0.0.1", options.port))
            .map_err(io("cannot listen on 127.0.0.1"))?;
        let address = listener.local_addr().map_err(io("cannot read the bound address"))?;
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            faults: Mutex::new(state.faults.clone()),
            log: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            log_to_stderr: options.log_to_stderr,
        });
        let accept = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || accept_loop(&listener, &shared))
        };
        Ok(Server {
            base_url: format!("http://{address}{}", routes::PREFIX),
            address,
            shared,
            accept: Some(accept),
            data_dir,
            _temporary: temporary,
        })
    }

    /// `http://127.0.0.1:PORT/client/v4`, the value for `CLOUDFLARE_API_BASE_URL`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The account id everything belongs to.
    pub fn account_id(&self) -> String {
        lock(&self.shared.store).account_id().to_owned()
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }

    /// How many requests had this method and path (after `/client/v4`).
    pub fn count(&self, method: &str, path: &str) -> usize {
        lock(&self.shared.log).iter().filter(|r| r.method == method && r.path == path).count()
    }

    /// Replaces the faults in force.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// The SQLite file of a D1 database, by name or UUID.
    pub fn d1_path(&self, name_or_uuid: &str) -> Option<PathBuf> {
        lock(&self.shared.store)
            .d1_databases
            .iter()
            .find(|db| db.name == name_or_uuid || db.uuid == name_or_uuid)
            .map(|db| db.path.clone())
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop, which is blocked in `accept`.
        let _ = TcpStream::connect(self.address);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked leaves the data as it was; keep serving.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        thread::spawn(move || serve_connection(stream, &shared));
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared) {
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut writer = BufWriter::new(stream);
    loop {
        let request = match http::read_request(&mut reader, &mut writer) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                let response = envelope::fail(400, 6007, &format!("Malformed request: {error}"));
                let _ = http::write_response(
                    &mut writer,
                    &response.with_header("Connection", "close"),
                    None,
                );
                return;
            }
        };
        let started = Instant::now();
        let (response, action) = handle(shared, &request);
        if action == Action::Hang {
            record(shared, &request, 0, started);
            hang(writer.get_ref(), shared);
            return;
        }
        let cut = (action == Action::Truncate).then_some(response.body.len() / 2);
        record(shared, &request, response.status, started);
        if http::write_response(&mut writer, &response, cut).is_err()
            || cut.is_some()
            || request.wants_close()
        {
            let _ = writer.get_ref().shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Holds a connection open without answering until the client gives up or the server stops.
fn hang(stream: &TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut probe = [0_u8; 1];
    while !shared.stopping.load(Ordering::SeqCst) {
        match stream.peek(&mut probe) {
            // The client closed its side.
            Ok(0) => break,
            Ok(_) => thread::sleep(Duration::from_millis(50)),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// The answer to one request and the fault applied to it.
fn handle(shared: &Shared, request: &Request) -> (Response, Action) {
    if let Some(response) = control(shared, request) {
        return (response, Action::Answer);
    }
    let relative = request.path.strip_prefix(routes::PREFIX).unwrap_or(&request.path).to_owned();
    let decision = lock(&shared.faults).decide(&request.method, &relative);
    if decision.delay_ms > 0 {
        thread::sleep(Duration::from_millis(decision.delay_ms));
    }
    let response = match decision.action {
        Action::RateLimit(seconds) => {
            envelope::fail(429, 971, "Please wait and consider throttling your request speed")
                .with_header("Retry-After", &seconds.to_string())
        }
        Action::ServerError(status) => {
            envelope::fail(status, 10_002, "An unknown error has occurred")
        }
        // A request never answered has no effect either.
        Action::Hang => envelope::ok(Value::Null),
        Action::Answer | Action::Truncate => routes::answer(&mut lock(&shared.store), request),
    };
    let response = response
        .with_header("Ratelimit", "\"default\";r=1199;t=300")
        .with_header("Ratelimit-Policy", "\"default\";q=1200;w=300");
    (response, decision.action)
}

/// The loopback-only control endpoints, outside the API's paths: faults, the request log and
/// usage figures.
fn control(shared: &Shared, request: &Request) -> Option<Response> {
    let response = match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/__control/faults") => match serde_json::from_slice::<Faults>(&request.body) {
            Ok(faults) => {
                *lock(&shared.faults) = faults;
                envelope::ok(Value::Null)
            }
            Err(error) => envelope::bad_json(&error.to_string()),
        },
        ("GET", "/__control/faults") => envelope::ok(json!(*lock(&shared.faults))),
        ("GET", "/__control/requests") => {
            let log: Vec<Value> = lock(&shared.log)
                .iter()
                .map(|r| json!({ "method": r.method, "path": r.path, "query": r.query, "status": r.status }))
                .collect();
            envelope::ok(Value::Array(log))
        }
        ("GET", "/__control/usage") => envelope::ok(lock(&shared.store).usage.clone()),
        _ => return None,
    };
    Some(response)
}

fn record(shared: &Shared, request: &Request, status: u16, started: Instant) {
    if request.path.starts_with("/__control/") {
        return;
    }
    let path = request.path.strip_prefix(routes::PREFIX).unwrap_or(&request.path).to_owned();
    if shared.log_to_stderr {
        // Only the method, path, query and status: never a header, so never a token.
        let query =
            if request.query.is_empty() { String::new() } else { format!("?{}", request.query) };
        eprintln!(
            "{} {}{path}{query} -> {status} ({} ms)",
            request.method,
            routes::PREFIX,
            started.elapsed().as_millis()
        );
    }
    lock(&shared.log).push(LoggedRequest {
        method: request.method.clone(),
        path,
        query: request.query.clone(),
        status,
    });
}
