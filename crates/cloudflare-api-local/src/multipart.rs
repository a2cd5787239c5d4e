//! `multipart/form-data`, the body of a Worker upload: a `metadata` JSON part and one part per
//! module.

/// One part of a form.
#[derive(Debug, Clone)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The part's own `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The bytes.
    pub data: Vec<u8>,
}

/// The parts of a form body, given the request's `Content-Type`.
///
/// # Errors
/// When the content type has no boundary or the body does not follow it.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|parameter| parameter.strip_prefix("boundary="))
        .map(|boundary| boundary.trim_matches('"'))
        .ok_or_else(|| format!("the content type {content_type:?} has no boundary"))?;
    let delimiter = format!("--{boundary}").into_bytes();

    let mut parts = Vec::new();
    let mut rest = match find(body, &delimiter) {
        Some(start) => &body[start + delimiter.len()..],
        None => return Err("the body does not contain its boundary".to_owned()),
    };
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("a boundary is not followed by a line break")?;
        let end = find(rest, &delimiter).ok_or("a part is not closed by the boundary")?;
        let chunk = &rest[..end];
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        parts.push(part(chunk)?);
        rest = &rest[end + delimiter.len()..];
    }
}

fn part(chunk: &[u8]) -> Result<Part, String> {
    let split = find(chunk, b"\r\n\r\n").ok_or("a part has no blank line after its headers")?;
    let head = String::from_utf8_lossy(&chunk[..split]);
    let mut name = None;
    let mut content_type = None;
    for line in head.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                name = value.split(';').map(str::trim).find_map(|parameter| {
                    parameter.strip_prefix("name=").map(|name| name.trim_matches('"').to_owned())
                });
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let name = name.ok_or("a part has no name in its Content-Disposition")?;
    Ok(Part { name, content_type, data: chunk[split + 4..].to_vec() })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metadata_and_a_module() {
        let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"main_module\":\"a.js\"}\r\n\
--XYZ\r\nContent-Disposition: form-data; name=\"a.js\"; filename=\"a.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport default {};\r\n--XYZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XYZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "metadata");
        assert_eq!(parts[1].data, b"export default {};");
        assert_eq!(parts[1].content_type.as_deref(), Some("application/javascript+module"));
    }

    #[test]
    fn a_body_without_its_boundary_is_an_error() {
        assert!(parse("multipart/form-data; boundary=XYZ", b"nothing").is_err());
        assert!(parse("multipart/form-data", b"").is_err());
    }
}
