//! Just enough HTTP/1.1 for API clients: requests with a `Content-Length` or chunked body,
//! keep-alive, and responses written by hand so that a fault can cut one short.

use std::fmt::Write as _;
use std::io::{self, BufRead, Write};

/// Bodies larger than this are refused; no API call the server answers comes near it.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// One request as the client sent it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, still percent-encoded, without the query.
    pub path: String,
    /// The query string after `?`, still encoded; empty when there is none.
    pub query: String,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header, by its lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Every decoded `key=value` pair of the query, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode_query(key), decode_query(value))
            })
            .collect()
    }

    /// The first decoded value of a query parameter.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs().into_iter().find(|(key, _)| key == name).map(|(_, value)| value)
    }

    /// Whether the client asked to close the connection after this exchange.
    pub fn wants_close(&self) -> bool {
        self.header("connection").is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }
}

/// A response before it is written.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length`, which is always computed.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_string().into_bytes(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Reads one request; `Ok(None)` when the client closed the connection between requests. A
/// client that sent `Expect: 100-continue` is told to go on through `writer` before its body
/// is read (curl does this for bodies over 1 KiB).
///
/// # Errors
/// When the stream fails or the request is not HTTP/1.x as this server understands it.
pub fn read_request(
    reader: &mut impl BufRead,
    writer: &mut impl Write,
) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.trim_end().splitn(3, ' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("not an HTTP request line: {:?}", line.trim_end())));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers: Vec::new(),
        body: Vec::new(),
    };

    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(invalid("the connection closed inside the headers".to_owned()));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            request.headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }

    if request.header("expect").is_some_and(|value| value.eq_ignore_ascii_case("100-continue")) {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }

    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"));
    if chunked {
        request.body = read_chunked(reader)?;
    } else if let Some(length) = request.header("content-length") {
        let length: usize =
            length.parse().map_err(|_| invalid(format!("bad Content-Length {length:?}")))?;
        if length > MAX_BODY {
            return Err(invalid(format!("a body of {length} bytes is too large")));
        }
        request.body = vec![0; length];
        reader.read_exact(&mut request.body)?;
    }
    Ok(Some(request))
}

fn read_chunked(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = line.trim_end().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size.trim(), 16)
            .map_err(|_| invalid(format!("bad chunk size {size:?}")))?;
        if size == 0 {
            // Trailers, if any, end with an empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                    return Ok(body);
                }
            }
        }
        if body.len() + size > MAX_BODY {
            return Err(invalid("a chunked body is too large".to_owned()));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        line.clear();
        reader.read_line(&mut line)?;
    }
}

/// Writes a response. With `cut_at`, the headers promise the whole body but only that many
/// bytes of it are sent, the way a connection dropped mid-transfer looks to a client.
///
/// # Errors
/// When the stream fails.
pub fn write_response(
    writer: &mut impl Write,
    response: &Response,
    cut_at: Option<usize>,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    let _ = write!(head, "Content-Length: {}\r\n", response.body.len());
    if cut_at.is_some() {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())?;
    let end = cut_at.map_or(response.body.len(), |cut| cut.min(response.body.len()));
    writer.write_all(&response.body[..end])?;
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Decodes `%XX` escapes of a path segment.
pub fn decode_segment(text: &str) -> String {
    percent_decode(text, false)
}

fn decode_query(text: &str) -> String {
    percent_decode(text, true)
}

fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                if let Ok(byte) = u8::from_str_radix(hex, 16) {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_chunked_body_and_decodes_the_query() {
        let raw = b"POST /a/b?name=x%20y&name=z+w HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\
                    3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let request = read_request(&mut &raw[..], &mut Vec::new()).unwrap().unwrap();
        assert_eq!(request.body, b"abcde");
        assert_eq!(
            request.query_pairs(),
            [("name".to_owned(), "x y".to_owned()), ("name".to_owned(), "z w".to_owned())]
        );
    }

    #[test]
    fn a_client_expecting_100_continue_is_told_to_go_on() {
        let raw = b"POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok";
        let mut written = Vec::new();
        let request = read_request(&mut &raw[..], &mut written).unwrap().unwrap();
        assert_eq!(written, b"HTTP/1.1 100 Continue\r\n\r\n");
        assert_eq!(request.body, b"ok");
    }

    #[test]
    fn a_cut_response_promises_more_than_it_sends() {
        let mut out = Vec::new();
        let response = Response::json(200, &serde_json::json!({"result": [1, 2, 3]}));
        write_response(&mut out, &response, Some(5)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Content-Length: 18\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n{\"res"), "{text}");
    }

    #[test]
    fn percent_escapes_at_the_end_decode() {
        assert_eq!(decode_segment("a%2Fb%20"), "a/b ");
        assert_eq!(decode_segment("100%"), "100%");
    }
}
