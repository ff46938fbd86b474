//! Saved board filters, each user's own (D1 `filter_presets`): list, save
//! (a name again replaces its query), delete. The query is stored as the
//! board writes it (`BoardFilter::from_query(..).to_query()`), so whatever
//! it cannot read is dropped rather than kept.

use serde::Deserialize;
use shared::view::board::BoardFilter;
use shared::wire::access::Op;
use shared::wire::presets::{FilterPreset, NewPreset, Presets};
use shared::FieldError;
use wasm_bindgen::JsValue;
use worker::{Context, Request, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::{self, Failure, Reply};
use crate::store;

#[derive(Deserialize)]
struct Row {
    id: f64,
    name: String,
    query: String,
    created_at: f64,
}

impl From<Row> for FilterPreset {
    fn from(r: Row) -> Self {
        FilterPreset { id: r.id as i64, name: r.name, query: r.query, created_at: r.created_at as i64 }
    }
}

/// `GET /api/presets`.
pub async fn list(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::Presets)?;
    let db = store::db(&ctx.env)?;
    let rows: Vec<Row> = db
        .prepare("SELECT id, name, query, created_at FROM filter_presets WHERE user_name = ?1 ORDER BY name LIMIT 200")
        .bind(&[JsValue::from_str(&claims.sub)])?
        .all()
        .await?
        .results()?;
    http::ok(&Presets { presets: rows.into_iter().map(FilterPreset::from).collect() })
}

/// `POST /api/presets` `{name, query}`.
pub async fn save(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::SavePreset)?;
    let input: NewPreset = http::read_json(&mut req, 16 * 1024).await?;
    input.validate().map_err(|e| Failure::field(&e))?;
    let query = BoardFilter::from_query(&input.query).to_query();
    let db = store::db(&ctx.env)?;
    let row: Option<Row> = db
        .prepare(
            "INSERT INTO filter_presets (user_name, name, query, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (user_name, name) DO UPDATE SET query = excluded.query, created_at = excluded.created_at
             RETURNING id, name, query, created_at",
        )
        .bind(&[JsValue::from_str(&claims.sub), JsValue::from_str(input.name.trim()), JsValue::from_str(&query), JsValue::from_f64(now_ms() as f64)])?
        .first(None)
        .await?;
    let preset = row.map(FilterPreset::from).ok_or_else(|| Failure::from(worker::Error::RustError("the preset was not stored".into())))?;
    http::ok(&preset)
}

/// `DELETE /api/presets/{id}`: only the caller's own.
pub async fn delete(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::DeletePreset)?;
    let id: i64 = ctx.param("id").and_then(|v| v.parse().ok()).filter(|v| *v > 0).ok_or_else(|| Failure::field(&FieldError::new("id", "must be a preset's id")))?;
    let db = store::db(&ctx.env)?;
    let done = db
        .prepare("DELETE FROM filter_presets WHERE id = ?1 AND user_name = ?2 RETURNING 1 AS wrote")
        .bind(&[JsValue::from_f64(id as f64), JsValue::from_str(&claims.sub)])?
        .all()
        .await?;
    if !store::wrote(&done)? {
        return Err(Failure::not_found("没有这个筛选 (no such preset)"));
    }
    http::ok(&serde_json::json!({ "deleted": id }))
}
