//! The Worker: the only component that holds secrets. One fetch entry builds
//! the router; each route has one small handler; logic lives in `shared`.
//! API: README "Edge HTTP API" and `edge/openapi.json` (served at
//! `/api/openapi.json` from the board's files, see `pages::openapi`).

mod admin;
mod attention;
mod auth;
mod board;
mod calls;
mod cases;
mod clink;
mod config;
#[cfg(feature = "demo")]
mod demo;
mod derived;
mod followups;
mod http;
mod hub;
mod insights;
mod bodies;
mod live;
#[cfg(test)]
mod migrated;
mod pages;
mod presets;
#[cfg(test)]
mod query_plans;
mod rollups;
mod search;
mod session;
mod store;
mod upstream;
mod webhook;

pub use hub::BoardHub;

use shared::wire::api::ErrorCode;
use worker::{event, Context, Env, Method, Request, Response, Result, Router};

use crate::http::run;

/// The portal SDK (README "Embed in your portal").
const EMBED_JS: &str = include_str!("../embed/embed.js");
pub const EMBED_SDK_VERSION: &str = "1.0.0";

fn router(ctx: Context) -> Router<'static, Context> {
    let router = Router::with_data(ctx)
        .get("/api/health", |_, _| http::json(200, &serde_json::json!({ "ok": true })))
        .get_async("/api/openapi.json", |r, c| run(pages::openapi(r, c)))
        .get_async("/api/session", |r, c| run(session::whoami(r, c)))
        .get_async("/api/board", |r, c| run(board::list(r, c)))
        .post_async("/api/cases/:case_id/takeover", |r, c| run(cases::takeover(r, c)))
        .post_async("/api/cases/:case_id/agreement", |r, c| run(cases::agreement(r, c)))
        .post_async("/api/cases/:case_id/ocr", |r, c| run(cases::start_ocr(r, c)))
        .get_async("/api/cases/:case_id/ocr", |r, c| run(cases::ocr_state(r, c)))
        .get_async("/api/cases/:case_id/audit", |r, c| run(cases::audit_log(r, c)))
        .get_async("/api/cases/:case_id/notes", |r, c| run(followups::list(r, c)))
        .post_async("/api/cases/:case_id/notes", |r, c| run(followups::add(r, c)))
        .post_async("/api/cases/:case_id/notes/:id/done", |r, c| run(followups::complete(r, c)))
        .get_async("/api/reminders", |r, c| run(followups::due(r, c)))
        .get_async("/api/attention", |r, c| run(attention::list(r, c)))
        .post_async("/api/attention/:id/ack", |r, c| run(attention::acknowledge(r, c)))
        .post_async("/api/attention/:id/assign", |r, c| run(attention::assign(r, c)))
        .get_async("/api/attention/rules", |r, c| run(attention::list_rules(r, c)))
        .put_async("/api/attention/rules/:id", |r, c| run(attention::save_rule(r, c)))
        .get_async("/api/insights/qa", |r, c| run(insights::qa(r, c)))
        .get_async("/api/audit", |r, c| run(cases::team_audit_log(r, c)))
        .post_async("/api/calls", |r, c| run(calls::place(r, c)))
        .get_async("/api/calls/status", |r, c| run(calls::status(r, c)))
        .post_async("/api/calls/:job_id/status", |r, c| run(calls::update_status(r, c)))
        .get_async("/api/conversations", |r, c| run(calls::conversations(r, c)))
        .get_async("/api/notes", |r, c| run(calls::notes(r, c)))
        .get_async("/api/search", |r, c| run(search::search(r, c)))
        .get_async("/api/presets", |r, c| run(presets::list(r, c)))
        .post_async("/api/presets", |r, c| run(presets::save(r, c)))
        .delete_async("/api/presets/:id", |r, c| run(presets::delete(r, c)))
        .get_async("/api/notes/history", |r, c| run(admin::note_history(r, c)))
        .get_async("/api/recordings/:job_id", |r, c| run(calls::recording(r, c)))
        .get_async("/api/recordings/:job_id/link", |r, c| run(calls::recording_link(r, c)))
        .get_async("/api/clink/*path", |r, c| run(clink::relay(r, c)))
        .post_async("/api/clink/*path", |r, c| run(clink::relay(r, c)))
        .get_async("/api/admin/dead-letters", |r, c| run(admin::dead_letters(r, c)))
        .post_async("/api/admin/dead-letters/:id/replay", |r, c| run(admin::replay(r, c)))
        .post_async("/api/admin/dead-letters/:id/discard", |r, c| run(admin::discard(r, c)))
        .get_async("/api/live", |r, c| async move { live::connect(r, &c.env).await })
        .post_async("/webhooks/note-agent/:token", webhook::receive);
    #[cfg(feature = "demo")]
    let router = router.post_async("/api/demo/session", |r, c| run(demo::session(r, c)));
    router.or_else_any_method("/api/*rest", |_, _| {
        http::json(404, &shared::wire::api::ApiError::new(ErrorCode::NotFound, "没有这个接口 (no such API route)"))
    })
}

/// Methods the edge answers at all; the runtime's request type reads any
/// other (`QUERY`, `TRACE`, …) as GET, so they are refused first.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let path = req.path();
    if !METHODS.contains(&req.inner().method().as_str()) {
        let r = http::json(405, &shared::wire::api::ApiError::new(ErrorCode::MethodNotAllowed, "这个接口不支持该 HTTP 方法 (method not allowed)"))?;
        let allow = if path.starts_with("/api/") || path.starts_with("/webhooks/") { shared::wire::access::allowed_methods(&path) } else { None };
        r.headers().set("Allow", allow.as_deref().unwrap_or("GET, HEAD"))?;
        http::api_headers(&r);
        return Ok(r);
    }
    let origin = req.headers().get("Origin")?;
    let allowed = http::embed_origins(&env);
    if path == "/embed.js" {
        if !matches!(req.method(), Method::Get | Method::Head) {
            let r = http::json(405, &shared::wire::api::ApiError::new(ErrorCode::MethodNotAllowed, "只支持 GET (GET and HEAD only)"))?;
            r.headers().set("Allow", "GET, HEAD")?;
            return Ok(r);
        }
        let r = Response::ok(EMBED_JS)?;
        r.headers().set("Content-Type", "application/javascript; charset=utf-8")?;
        r.headers().set("Cache-Control", "public, max-age=300")?;
        r.headers().set("X-Embed-Sdk-Version", EMBED_SDK_VERSION)?;
        r.headers().set("X-Content-Type-Options", "nosniff")?;
        return Ok(r);
    }
    if !(path.starts_with("/api/") || path.starts_with("/webhooks/")) {
        return pages::serve(req, &env, &allowed).await;
    }
    let response = if req.method() == Method::Options {
        Response::empty()?.with_status(204)
    } else {
        let response = router(ctx).run(req, env).await?;
        if response.status_code() == 405 {
            let r = http::json(405, &shared::wire::api::ApiError::new(ErrorCode::MethodNotAllowed, "这个接口不支持该 HTTP 方法 (method not allowed)"))?;
            if let Some(allow) = shared::wire::access::allowed_methods(&path) {
                r.headers().set("Allow", &allow)?;
            }
            r
        } else {
            response
        }
    };
    if response.status_code() != 101 {
        http::cors(&response, origin.as_deref(), &allowed);
        http::api_headers(&response);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn methods_a_runtime_reads_as_get_are_not_in_the_list() {
        for m in ["QUERY", "TRACE", "CONNECT", "PROPFIND", "get"] {
            assert!(!super::METHODS.contains(&m), "{m}");
        }
    }
}
