//! The published API description stays true: every route the edge's router
//! answers is in `/api/openapi.json` with its method.

use e2e::*;
use serde_json::Value;

/// `(method, OpenAPI path)` for each route registered in `edge/src/lib.rs`
/// (`.get(…)`, `.get_async(…)`, `.post_async(…)`…), `:name` and `*name`
/// written as `{name}`.
fn router_routes() -> Vec<(String, String)> {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../edge/src/lib.rs")).unwrap();
    let mut routes = vec![];
    for method in ["get", "post", "put", "delete"] {
        for call in [format!(".{method}(\""), format!(".{method}_async(\"")] {
            for (at, _) in source.match_indices(&call) {
                let rest = &source[at + call.len()..];
                let path = &rest[..rest.find('"').unwrap()];
                if !path.starts_with('/') {
                    continue; // `headers().get("Origin")` and the like
                }
                let path = path
                    .split('/')
                    .map(|s| match s.strip_prefix(':').or_else(|| s.strip_prefix('*')) {
                        Some(name) => format!("{{{name}}}"),
                        None => s.to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                routes.push((method.to_owned(), path));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_is_described() {
    let routes = router_routes();
    assert!(routes.len() > 20, "found only {routes:?}");
    let doc: Value = client().get(format!("{}/api/openapi.json", edge())).send().await.unwrap().json().await.unwrap();
    let missing: Vec<String> = routes
        .iter()
        .filter(|(method, path)| doc["paths"][path][method].is_null())
        .map(|(method, path)| format!("{} {path}", method.to_uppercase()))
        .collect();
    assert!(missing.is_empty(), "routes missing from edge/openapi.json: {missing:?}");
}
