//! The board's static files (Trunk's `dist/`, bound as `ASSETS`), served with
//! a strict CSP whose `frame-ancestors` follows `EMBED_ORIGINS`. Trunk's page
//! loads the wasm with a small inline module script; its hash is allowed, no
//! other inline script is.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use worker::{Env, Request, Response, Result};

use crate::http::{page_csp, Failure};

pub async fn serve(req: Request, env: &Env, allowed_ancestors: &[String]) -> Result<Response> {
    let assets = match env.assets("ASSETS") {
        Ok(a) => a,
        Err(_) => return crate::http::json(500, &Failure::new(500, "misconfigured", "ASSETS binding is missing").body),
    };
    let mut response = assets.fetch_request(req).await?;
    let content_type = response.headers().get("Content-Type")?.unwrap_or_default();
    let headers = response.headers().clone();
    let status = response.status_code();
    let response = if content_type.starts_with("text/html") {
        let html = with_embed_origins(&response.text().await?, allowed_ancestors);
        let csp = page_csp(&inline_script_hashes(&html), allowed_ancestors);
        let out = Response::from_html(html)?.with_status(status);
        out.headers().set("Content-Security-Policy", &csp)?;
        out.headers().set("Cache-Control", "no-cache")?;
        out
    } else {
        let bytes = response.bytes().await?;
        Response::from_bytes(bytes)?.with_status(status).with_headers(headers)
    };
    let h = response.headers();
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set("Referrer-Policy", "no-referrer")?;
    Ok(response)
}

/// Writes the allowed portal origins into the page, where an embedded board
/// reads which hosts it may take commands from.
fn with_embed_origins(html: &str, origins: &[String]) -> String {
    let content: String = origins
        .join(",")
        .chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '&' | '\''))
        .collect();
    html.replacen("<head>", &format!("<head>\n    <meta name=\"embed-origins\" content=\"{content}\" />"), 1)
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
