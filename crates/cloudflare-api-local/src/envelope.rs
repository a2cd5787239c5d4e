//! The v4 envelope every answer is wrapped in, the error answers with their codes, and the
//! page and cursor pagination of list endpoints.

use serde_json::{Value, json};

use crate::http::{Request, Response};

/// `{"result": ..., "success": true, "errors": [], "messages": []}` with status 200.
pub fn ok(result: Value) -> Response {
    ok_with_messages(result, json!([]))
}

/// A success with `messages`.
pub fn ok_with_messages(result: Value, messages: Value) -> Response {
    Response::json(
        200,
        &json!({ "result": result, "success": true, "errors": [], "messages": messages }),
    )
}

/// A success with `result_info`.
pub fn ok_with_info(result: Value, result_info: Value) -> Response {
    Response::json(
        200,
        &json!({
            "result": result,
            "success": true,
            "errors": [],
            "messages": [],
            "result_info": result_info,
        }),
    )
}

/// A failure with one error.
pub fn fail(status: u16, code: u32, message: &str) -> Response {
    fail_with(status, vec![json!({ "code": code, "message": message })])
}

/// A failure with the given `errors` entries.
pub fn fail_with(status: u16, errors: Vec<Value>) -> Response {
    Response::json(
        status,
        &json!({ "result": null, "success": false, "errors": errors, "messages": [] }),
    )
}

/// The answer to a path no endpoint serves: 7003 followed by 7000.
pub fn no_route(path: &str) -> Response {
    fail_with(
        400,
        vec![
            json!({
                "code": 7003,
                "message": format!("Could not route to {path}, perhaps your object identifier is invalid?"),
            }),
            json!({ "code": 7000, "message": "No route for that URI" }),
        ],
    )
}

/// The answer to a request body that is not the JSON the endpoint takes.
pub fn bad_json(detail: &str) -> Response {
    fail(400, 10040, &format!("The JSON you provided was not well formed: {detail}"))
}

/// The page size bounds and default of one list endpoint.
#[derive(Debug, Clone, Copy)]
pub struct PageSize {
    /// The smallest accepted `per_page`.
    pub min: usize,
    /// The largest accepted `per_page`.
    pub max: usize,
    /// `per_page` when the request has none.
    pub default: usize,
}

/// One page of `items` as `page`/`per_page` select it, with all five `result_info` fields.
/// Out-of-range sizes are clamped into the endpoint's bounds.
pub fn page(request: &Request, items: Vec<Value>, size: PageSize) -> Response {
    let per_page = request
        .query_param("per_page")
        .and_then(|text| text.parse::<usize>().ok())
        .map_or(size.default, |wanted| wanted.clamp(size.min, size.max));
    let page =
        request.query_param("page").and_then(|text| text.parse::<usize>().ok()).unwrap_or(1).max(1);
    let total_count = items.len();
    let total_pages = total_count.div_ceil(per_page);
    let selected: Vec<Value> =
        items.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    ok_with_info(
        json!(selected),
        json!({
            "page": page,
            "per_page": per_page,
            "count": selected.len(),
            "total_count": total_count,
            "total_pages": total_pages,
        }),
    )
}

/// Items after the request's `cursor` (an opaque position), `per_page` of them, and the cursor
/// of the next page; the cursor is `None` on the last page.
pub fn cursor_page(
    request: &Request,
    items: Vec<Value>,
    size: PageSize,
) -> (Vec<Value>, usize, Option<String>) {
    let per_page = request
        .query_param("per_page")
        .and_then(|text| text.parse::<usize>().ok())
        .map_or(size.default, |wanted| wanted.clamp(size.min, size.max));
    let start =
        request.query_param("cursor").and_then(|cursor| decode_cursor(&cursor)).unwrap_or(0);
    let total = items.len();
    let selected: Vec<Value> = items.into_iter().skip(start).take(per_page).collect();
    let end = start + selected.len();
    let next = (end < total).then(|| encode_cursor(end));
    (selected, per_page, next)
}

fn encode_cursor(position: usize) -> String {
    format!("c{position:08x}")
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    usize::from_str_radix(cursor.strip_prefix('c')?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> Request {
        Request {
            method: "GET".to_owned(),
            path: "/x".to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn pages_report_all_five_fields() {
        let items: Vec<Value> = (0..12).map(|i| json!(i)).collect();
        let size = PageSize { min: 5, max: 50, default: 20 };
        let response = page(&request("page=3&per_page=5"), items, size);
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["result"], json!([10, 11]));
        assert_eq!(
            body["result_info"],
            json!({"page": 3, "per_page": 5, "count": 2, "total_count": 12, "total_pages": 3})
        );
    }

    #[test]
    fn cursors_walk_to_the_end() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let size = PageSize { min: 1, max: 1000, default: 20 };
        let (first, _, next) = cursor_page(&request("per_page=3"), items.clone(), size);
        assert_eq!(first, [json!(0), json!(1), json!(2)]);
        let next = next.unwrap();
        let (rest, _, last) =
            cursor_page(&request(&format!("per_page=3&cursor={next}")), items, size);
        assert_eq!(rest, [json!(3), json!(4)]);
        assert_eq!(last, None);
    }
}
