//! The Worker: the only component that holds secrets. One fetch entry builds
//! the router; each route has one small handler; logic lives in `shared`.

mod board;
mod config;
mod http;
mod upstream;

use worker::{event, Context, Env, Request, Response, Result, Router};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let response = Router::new()
        .get("/api/health", |_, _| http::json(200, &serde_json::json!({ "ok": true })))
        .get_async("/api/board", board::list)
        .or_else_any_method("/api/*rest", |_, _| http::error(404, "not_found", "没有这个接口 (no such API route)"))
        .run(req, env)
        .await?;
    Ok(http::with_security_headers(response))
}
