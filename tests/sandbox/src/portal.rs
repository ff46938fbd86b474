//! A demo host portal (what a mediation centre's case system would be): its
//! server holds the board's session secret and mints tokens for its users,
//! and its page embeds two boards with the edge's `/embed.js` SDK. Served on
//! the control port, a different origin from the edge, listed in EMBED_ORIGINS.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

use crate::state::Shared;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/portal", get(page))
        .route("/portal/token", get(token))
        .route("/portal/cases", get(cases))
        .with_state(state)
}

#[derive(Deserialize)]
struct TokenQuery {
    user: Option<String>,
    role: Option<String>,
    /// Seconds (default 10 minutes; the tests use a few seconds to see refreshes).
    ttl: Option<i64>,
}

const USERS: [(&str, &str, &str); 4] = [("zhangmin", "张敏", "mediator"), ("lihua", "李华", "mediator"), ("wanglei", "王磊", "supervisor"), ("admin", "管理员", "admin")];

/// The portal's own token minting: a standard HS256 JWT, written here with
/// plain HMAC-SHA256 (no code shared with the board), as any portal's would be.
fn mint(secret: &str, sub: &str, name: &str, role: &str, ttl: i64) -> (String, i64) {
    let now = crate::clock::wall_ms() / 1000;
    let exp = now + ttl;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(json!({ "sub": sub, "name": name, "role": role, "iat": now, "exp": exp }).to_string());
    let input = format!("{header}.{claims}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(input.as_bytes());
    (format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())), exp)
}

async fn token(State(state): State<Shared>, Query(q): Query<TokenQuery>) -> Response {
    let secret = state.lock().config.portal_secret.clone();
    let user = q.user.unwrap_or_else(|| "zhangmin".into());
    let Some((sub, name, default_role)) = USERS.iter().find(|(u, _, _)| *u == user) else {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "unknown demo user" }))).into_response();
    };
    let role = q.role.unwrap_or_else(|| default_role.to_string());
    let ttl = q.ttl.unwrap_or(600).clamp(3, 86_400);
    let (token, exp) = mint(&secret, sub, name, &role, ttl);
    ([(header::CACHE_CONTROL, "no-store")], Json(json!({ "token": token, "expiresAt": exp }))).into_response()
}

async fn cases(State(state): State<Shared>) -> Response {
    let s = state.lock();
    let list: Vec<_> = s.world.cases.iter().take(40).map(|c| json!({ "caseId": c.seed.case_id, "caseName": c.seed.case_name })).collect();
    Json(list).into_response()
}

async fn page(State(state): State<Shared>) -> Response {
    let edge = state.lock().config.edge_url.clone();
    Html(PAGE.replace("{{EDGE}}", &edge)).into_response()
}

const PAGE: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>示例门户 · 某街道人民调解中心</title>
<style>
  body { margin: 0; font-family: "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; background: #eef2f7; color: #1b2230; }
  header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; padding: .6rem 1rem; background: #7a1f1f; color: #fff; }
  header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
  header label { display: flex; gap: .4rem; align-items: center; }
  .panes { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; padding: .75rem; height: calc(100vh - 220px); }
  .pane { background: #fff; border-radius: 6px; overflow: hidden; display: flex; flex-direction: column; }
  .pane h2 { font-size: .95rem; margin: 0; padding: .4rem .75rem; background: #f3e9e9; }
  .pane > div { flex: 1; min-height: 0; }
  aside { margin: 0 .75rem .75rem; background: #fff; border-radius: 6px; padding: .4rem .75rem; height: 150px; overflow: auto; font-size: .85rem; }
  aside h2 { font-size: .9rem; margin: 0 0 .3rem; }
  #events { margin: 0; padding-left: 1.2rem; }
  button, select { font: inherit; }
</style>
</head>
<body>
<header>
  <h1>示例门户(演示):案件管理系统</h1>
  <label>当前用户 <select id="user"><option value="zhangmin">张敏(调解员)</option><option value="lihua">李华(调解员)</option><option value="wanglei">王磊(主管)</option></select></label>
  <label>打开案件 <select id="case"></select></label>
  <button type="button" id="open-case">在右侧打开</button>
  <button type="button" id="lang-en">English</button>
  <button type="button" id="lang-zh">中文</button>
</header>
<main class="panes">
  <section class="pane"><h2>案件看板(嵌入)</h2><div id="list-pane"></div></section>
  <section class="pane"><h2>案件详情(嵌入)</h2><div id="detail-pane"></div></section>
</main>
<aside aria-live="polite"><h2>看板发来的事件</h2><ol id="events"></ol></aside>
<script src="{{EDGE}}/embed.js"></script>
<script>
(async function () {
  const params = new URLSearchParams(location.search);
  const ttl = Number(params.get('ttl') || 600);
  const $ = (id) => document.getElementById(id);
  let user = params.get('user') || 'zhangmin';
  $('user').value = user;
  // The portal's server mints the token; the page only passes it on.
  async function mint() {
    const r = await fetch('/portal/token?user=' + encodeURIComponent(user) + '&ttl=' + ttl);
    return (await r.json()).token;
  }
  const log = (board, type, payload) => {
    const li = document.createElement('li');
    li.dataset.board = board;
    li.dataset.type = type;
    li.textContent = '[' + board + '] ' + type + ' ' + JSON.stringify(payload || {});
    $('events').prepend(li);
  };
  const cases = await (await fetch('/portal/cases')).json();
  for (const c of cases) {
    const o = document.createElement('option');
    o.value = c.caseId;
    o.textContent = c.caseName + ' (' + c.caseId + ')';
    $('case').appendChild(o);
  }
  const boards = {};
  async function handle(name, type, payload) {
    log(name, type, payload);
    if (type === 'token_expiring') {
      boards[name].setToken(await mint());
      log(name, 'token_refreshed', {});
    }
  }
  const token = await mint();
  boards.list = MediationBoard.create($('list-pane'), { token, view: 'board', onEvent: (t, p) => handle('list', t, p) });
  boards.detail = MediationBoard.create($('detail-pane'), {
    token, view: 'case', caseId: cases[0] && cases[0].caseId, onEvent: (t, p) => handle('detail', t, p),
  });
  $('open-case').onclick = () => boards.detail.openCase($('case').value);
  $('user').onchange = async () => {
    user = $('user').value;
    const t = await mint();
    boards.list.setToken(t);
    boards.detail.setToken(t);
  };
  $('lang-en').onclick = () => { boards.list.setLanguage('en'); boards.detail.setLanguage('en'); };
  $('lang-zh').onclick = () => { boards.list.setLanguage('zh-CN'); boards.detail.setLanguage('zh-CN'); };
  window.portal = { boards, mint };
})();
</script>
</body>
</html>
"#;
