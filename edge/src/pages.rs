//! The board's static files (Trunk's `dist/`, bound as `ASSETS`), served with
//! a strict CSP whose `frame-ancestors` follows `EMBED_ORIGINS`. Trunk's page
//! loads the wasm with a small inline module script; its hash is allowed, no
//! other inline script is.

use shared::wire::api::ErrorCode;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use worker::{Context, Env, Request, Response, Result, RouteContext};

use crate::http::{page_csp, Failure, Reply};

/// `GET /api/openapi.json`. The document lives with the board's files (Trunk
/// copies `edge/openapi.json` into `dist/`, see `index.html`) rather than in
/// the Worker, where its 240 KB were an eighth of the wasm.
pub async fn openapi(_req: Request, ctx: RouteContext<Context>) -> Reply {
    let response = assets(&ctx.env)?.fetch("https://assets.local/openapi.json", None).await?;
    // A missing file answers the board's page (single-page-application).
    let json = response.headers().get("Content-Type")?.is_some_and(|t| t.starts_with("application/json"));
    if response.status_code() != 200 || !json {
        return Err(Failure::new(
            500,
            ErrorCode::Misconfigured,
            "openapi.json is not among the board's files (build the board: scripts/build-app.sh)",
        ));
    }
    // Passed on as it streams, not copied through the Worker's memory.
    let out = Response::from_body(response.body().clone())?;
    out.headers().set("Content-Type", "application/json")?;
    out.headers().set("Cache-Control", "no-cache")?;
    Ok(out)
}

/// The board's files (`ASSETS`, wrangler.toml's `[assets]`).
fn assets(env: &Env) -> std::result::Result<worker::Fetcher, Failure> {
    env.assets("ASSETS").map_err(|_| Failure::new(500, ErrorCode::Misconfigured, "ASSETS binding is missing"))
}

pub async fn serve(req: Request, env: &Env, allowed_ancestors: &[String]) -> Result<Response> {
    // The pages are files: read them, nothing else.
    if !matches!(req.method(), worker::Method::Get | worker::Method::Head) {
        let r = crate::http::json(405, &shared::wire::api::ApiError::new(ErrorCode::MethodNotAllowed, "页面只支持 GET (pages answer GET and HEAD only)"))?;
        r.headers().set("Allow", "GET, HEAD")?;
        return Ok(r);
    }
    let assets = match assets(env) {
        Ok(a) => a,
        Err(f) => return crate::http::json(f.status, &f.body),
    };
    let path = req.path();
    let response = assets.fetch_request(req).await?;
    let content_type = response.headers().get("Content-Type")?.unwrap_or_default();
    let headers = response.headers().clone();
    let status = response.status_code();
    let response = if content_type.starts_with("text/html") {
        let html = with_embed_origins(&crate::bodies::whole_text(&response).await?, allowed_ancestors);
        let csp = page_csp(&inline_script_hashes(&html), allowed_ancestors);
        let out = Response::from_html(html)?.with_status(status);
        out.headers().set("Content-Security-Policy", &csp)?;
        out.headers().set("Cache-Control", "no-cache")?;
        out
    } else {
        let bytes = crate::bodies::whole(&response).await?;
        let out = Response::from_bytes(bytes)?.with_status(status).with_headers(headers);
        if status == 200 && content_hashed(&path) {
            out.headers().set("Cache-Control", "public, max-age=31536000, immutable")?;
        }
        out
    };
    let h = response.headers();
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set("Referrer-Policy", "no-referrer")?;
    Ok(response)
}

/// Whether a file's address changes with its content, so a browser may keep
/// it for good: the board's wasm and JS under `/pkg-<hash>/`
/// (scripts/app-wasm.sh) and Trunk's `name-<hash>.ext` files. The page itself
/// is not: it is asked for again each time (`no-cache`) and names the new ones.
fn content_hashed(path: &str) -> bool {
    let hex16 = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(dir), Some(file), None) => dir.strip_prefix("pkg-").is_some_and(hex16) && !file.is_empty(),
        (Some(file), None, None) => file
            .rsplit_once('.')
            .and_then(|(stem, _)| stem.rsplit_once('-'))
            .is_some_and(|(name, hash)| !name.is_empty() && hex16(hash)),
        _ => false,
    }
}

/// Writes the allowed portal origins into the page, where an embedded board
/// reads which hosts it may take commands from.
fn with_embed_origins(html: &str, origins: &[String]) -> String {
    let content: String = origins
        .join(",")
        .chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '&' | '\''))
        .collect();
    let meta = format!("<meta name=\"embed-origins\" content=\"{content}\">");
    // Before `</head>`: the release page is minified and has no `<head>` tag
    // (HTML lets it be left out), but it keeps the closing one.
    match html.find("</head>").or_else(|| html.find("<body")) {
        Some(at) => format!("{}{meta}{}", &html[..at], &html[at..]),
        None => format!("{meta}{html}"),
    }
}

/// Base64 SHA-256 of each inline `<script>` body in the page.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = vec![];
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else { break };
        if !tag.contains(" src=") {
            let body = &after[body_start..body_start + close];
            hashes.push(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes())));
        }
        rest = &after[body_start + close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowed_origins_go_into_the_page_head() {
        let origins = ["https://portal.example".to_owned(), "http://127.0.0.1:8790\"><script>".to_owned()];
        let minified = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>x</title></head><body></body></html>";
        let out = with_embed_origins(minified, &origins);
        assert!(out.contains("<meta name=\"embed-origins\" content=\"https://portal.example,http://127.0.0.1:8790script\"></head>"), "{out}");
        let plain = "<html><head><title>x</title></head><body></body></html>";
        assert!(with_embed_origins(plain, &origins).contains("</title><meta name=\"embed-origins\""));
        assert!(with_embed_origins("<p>x</p>", &origins).starts_with("<meta name=\"embed-origins\""));
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_not() {
        let html = "<script type=module>import init from\"/a.js\"</script><script src=/b.js></script>";
        assert_eq!(inline_script_hashes(html).len(), 1);
    }

    #[test]
    fn only_files_whose_address_carries_their_hash_are_immutable() {
        for path in ["/pkg-6472fed12a3ffe3c/app_bg.wasm", "/pkg-6472fed12a3ffe3c/split_case_screen.wasm", "/style-b90d242f68a135c2.css", "/app-c2fa22db8e59190e.js"] {
            assert!(content_hashed(path), "{path}");
        }
        for path in ["/", "/index.html", "/embed.js", "/cases/C-1", "/pkg-6472fed12a3ffe3c/", "/pkg-6472fed12a3ffe3/app.js", "/pkg-xyz2fed12a3ffe3c/app.js", "/pkg-6472fed12a3ffe3c/a/b.js", "/style.css", "/-b90d242f68a135c2.css", "/a/style-b90d242f68a135c2.css"] {
            assert!(!content_hashed(path), "{path}");
        }
    }
}
