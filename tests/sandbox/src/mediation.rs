//! The mediation backend's HTTP API, with its envelope, statuses and messages
//! (`../shared/specs/mediation-api.md`).

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Serialize;
use shared::wire::mediation::{
    paths, require_id, AgreementRequest, AgreementResult, CallRequest, CallStatusInfo, Envelope, OcrRequest, Stage,
    TakeoverRequest, TakeoverResult, UpdateStatusRequest, TAKEOVER_CONFLICT_MESSAGE,
};
use shared::time::format_shanghai;

use crate::audio;
use crate::state::Shared;

pub fn router(state: Shared) -> Router {
    let after = state.clone();
    Router::new()
        .route(paths::BOARD, get(board))
        .route("/api/v1/mediation-timeline/v2/case/{case_id}/takeover", put(takeover))
        .route(paths::AGREEMENT, post(agreement))
        .route(paths::CALL_V2, post(call_v2))
        .route(paths::CONVERSATION_LOG, get(conversation_log))
        .route(paths::CALL_STATUS, get(call_status))
        .route(paths::UPDATE_STATUS, post(update_status))
        .route(paths::OCR_PROCESS, post(ocr_process))
        .route(paths::OCR_STATUS, get(ocr_status))
        .route("/recordings/{file}", get(recording))
        .route("/redirect", get(redirect))
        .layer(axum::middleware::from_fn(move |req, next| answer_faults(after.clone(), req, next)))
        .with_state(state)
}

tokio::task_local! {
    /// Whether the counted faults may strike the request being answered
    /// (`MediationFaults::only_path`).
    static AIMED_AT: bool;
}

/// Faults that strike after the backend has acted: the request is carried
/// out in full, then the answer is late or unreadable.
async fn answer_faults(state: Shared, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let aimed = state.lock().mediation_faults.only_path.as_ref().is_none_or(|p| p == req.uri().path());
    let response = AIMED_AT.scope(aimed, next.run(req)).await;
    let (slow, garbage) = {
        let mut s = state.lock();
        let f = &mut s.mediation_faults;
        let garbage = aimed && f.garbage_answer_next > 0;
        if garbage {
            f.garbage_answer_next -= 1;
        }
        (f.slow_answer_ms, garbage)
    };
    if slow > 0 {
        tokio::time::sleep(Duration::from_millis(slow)).await;
    }
    if garbage {
        return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "{\"code\":200,\"message\":\"查询成").into_response();
    }
    response
}

fn spec_literal(state: &Shared) -> bool {
    state.lock().config.spec_literal
}

/// An error as the spec-literal backend sends it: HTTP 200, the status in `code`.
fn fail_in_envelope(status: StatusCode, message: impl AsRef<str>) -> Response {
    (StatusCode::OK, Json(Envelope::new(status.as_u16() as i64, message.as_ref(), ()))).into_response()
}

fn envelope<T: Serialize>(status: StatusCode, message: &str, data: T) -> Response {
    (status, Json(Envelope::new(status.as_u16() as i64, message, data))).into_response()
}

fn fail(status: StatusCode, message: impl AsRef<str>) -> Response {
    envelope(status, message.as_ref(), ())
}

/// Checks the token and the fault switches; `Err` is the answer to send.
async fn admit(state: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let (token, slow, fail_now, garbage, fail_in_200) = {
        let mut s = state.lock();
        let aimed = AIMED_AT.try_with(|a| *a).unwrap_or(true);
        let f = &mut s.mediation_faults;
        let fail_now = aimed && f.fail_next > 0;
        if fail_now {
            f.fail_next -= 1;
        }
        let garbage = aimed && !fail_now && f.garbage_next > 0;
        if garbage {
            f.garbage_next -= 1;
        }
        let fail_in_200 = aimed && !fail_now && !garbage && f.envelope_fail_next > 0;
        if fail_in_200 {
            f.envelope_fail_next -= 1;
        }
        (s.config.mediation_token.clone(), s.mediation_faults.slow_ms, fail_now, garbage, fail_in_200)
    };
    if slow > 0 {
        tokio::time::sleep(Duration::from_millis(slow)).await;
    }
    let presented = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if presented != Some(token.as_str()) {
        return Err(fail(StatusCode::UNAUTHORIZED, "未授权:缺少或错误的访问令牌"));
    }
    if fail_now {
        return Err(fail(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙,请稍后重试"));
    }
    if garbage {
        return Err((StatusCode::OK, [(header::CONTENT_TYPE, "text/html")], "<html><body>502 Bad Gateway</body></html>").into_response());
    }
    if fail_in_200 {
        return Err(fail_in_envelope(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙,请稍后重试"));
    }
    Ok(())
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| fail(StatusCode::BAD_REQUEST, format!("请求参数错误: {e}")))
}

async fn board(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let mut s = state.lock();
    s.world.advance();
    if !s.mediation_faults.board_chunked {
        return envelope(StatusCode::OK, "查询成功", s.world.board());
    }
    let body = serde_json::to_vec(&Envelope::new(200, "查询成功", s.world.board())).expect("the board serialises");
    drop(s);
    let pieces: Vec<Result<axum::body::Bytes, std::io::Error>> = body.chunks(64 << 10).map(|c| Ok(axum::body::Bytes::copy_from_slice(c))).collect();
    Response::builder()
        .status(StatusCode::OK)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from_stream(futures_util::stream::iter(pieces)))
        .expect("a valid response")
}

async fn takeover(State(state): State<Shared>, headers: HeaderMap, Path(case_id): Path<String>, body: Bytes) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let req: TakeoverRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if req.user_name.trim().is_empty() {
        return fail(StatusCode::BAD_REQUEST, "userName不能为空");
    }
    let mut s = state.lock();
    let now = s.world.now();
    let Some(case) = s.world.case_mut(&case_id) else {
        return fail(StatusCode::NOT_FOUND, "案件不存在");
    };
    if case.takeover.is_some() {
        return fail(StatusCode::BAD_REQUEST, TAKEOVER_CONFLICT_MESSAGE);
    }
    case.takeover = Some((req.user_name.clone(), now));
    case.updated_ms = now;
    if s.config.spec_literal {
        return envelope(StatusCode::OK, "接管成功", ());
    }
    envelope(
        StatusCode::OK,
        "接管成功",
        TakeoverResult { case_id: Some(case_id), user_name: Some(req.user_name), takeover_time: Some(format_shanghai(now)) },
    )
}

async fn agreement(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let req: AgreementRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let mut s = state.lock();
    let now = s.world.now();
    let Some(case) = s.world.case_mut(&req.case_id) else {
        return fail(StatusCode::NOT_FOUND, "案件不存在");
    };
    if case.stage == Stage::Accepted {
        return fail(StatusCode::BAD_REQUEST, "案件尚未开始调解,无法生成调解协议");
    }
    case.agreements_generated += 1;
    let content = case.agreement.as_ref().map(|a| a.agree_content.clone()).unwrap_or_else(|| draft(&case.seed));
    let result = AgreementResult { agree_id: format!("AGR{}{:02}", case.seed.case_id, case.agreements_generated + 1), agree_content: content };
    case.agreement = Some(result.clone());
    if case.stage == Stage::Mediating {
        case.stage = Stage::Agreement;
    }
    case.updated_ms = now;
    envelope(StatusCode::OK, "协议生成成功", result)
}

/// A draft for a case whose data set has none.
fn draft(case: &crate::seed::SeedCase) -> String {
    let names: Vec<&str> = case.parties.iter().map(|p| p.name.as_str()).collect();
    let amount = case.amount.as_deref().map(|a| format!("人民币{a}元")).unwrap_or_else(|| "双方协商确定的款项".into());
    format!(
        "# 人民调解协议书\n\n**当事人**:{}\n\n**纠纷事实**:{}\n\n## 协议内容\n\n1. **履行内容**:被申请人向申请人支付{amount}。\n2. **履行期限**:本协议签订之日起三十日内一次性履行完毕。\n3. **协议效力**:本协议经双方签字后生效,双方可共同申请司法确认。\n",
        names.join("、"),
        case.facts
    )
}

async fn call_v2(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let req: CallRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if let Err(e) = req.validate() {
        return fail(StatusCode::BAD_REQUEST, format!("请求参数错误: {e}"));
    }
    let mut s = state.lock();
    s.world.advance();
    let Some(case) = s.world.case(&req.case_id) else {
        return fail(StatusCode::NOT_FOUND, "案件不存在");
    };
    if case.seed.mediation_id.to_string() != req.mediation_id {
        return fail(StatusCode::BAD_REQUEST, "mediationId与案件不匹配");
    }
    if case.takeover.is_some() {
        return fail(StatusCode::BAD_REQUEST, "案件已被人工接管,不允许AI外呼");
    }
    let person_ids = req.person_ids();
    if let Some(unknown) = person_ids.iter().find(|id| !case.seed.parties.iter().any(|p| &&p.person_id == id)) {
        return fail(StatusCode::BAD_REQUEST, format!("被呼叫人不存在: {unknown}"));
    }
    let results = s.world.place_calls(&req.case_id, &person_ids, None);
    envelope(StatusCode::CREATED, "外呼请求处理完成", results)
}

async fn conversation_log(State(state): State<Shared>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let mut s = state.lock();
    s.world.advance();
    let logs = s.world.conversation_logs(get("caseId"), get("personId"), get("jobId"));
    envelope(StatusCode::OK, "查询成功", logs)
}

async fn call_status(State(state): State<Shared>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    if get("caseRef").is_none() && get("phoneNumber").is_none() && get("jobId").is_none() {
        return fail(StatusCode::BAD_REQUEST, "请求参数错误: caseRef、phoneNumber、jobId至少需要一个");
    }
    let mut s = state.lock();
    s.world.advance();
    let now = s.world.now();
    match s.world.find_call(get("caseRef"), get("phoneNumber"), get("jobId")) {
        Some(call) => envelope(
            StatusCode::OK,
            "查询成功",
            CallStatusInfo {
                case_ref: call.case_id.clone(),
                phone_number: call.phone.clone(),
                job_id: call.job_id.clone(),
                call_status: call.status(now),
                fetch_time: format_shanghai(now),
                job_group_id: call.job_group_id.clone(),
                instance_id: call.instance_id.clone(),
            },
        ),
        None => fail(StatusCode::NOT_FOUND, "未找到通话记录"),
    }
}

async fn update_status(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    // The spec shows this endpoint's answers as HTTP 200 only.
    let literal = spec_literal(&state);
    let refuse = |status: StatusCode, message: String| if literal { fail_in_envelope(status, message) } else { fail(status, message) };
    let req: UpdateStatusRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(_) if literal => return refuse(StatusCode::BAD_REQUEST, "请求参数错误".into()),
        Err(r) => return r,
    };
    if let Err(e) = req.validate() {
        return refuse(StatusCode::BAD_REQUEST, format!("请求参数错误: {e}"));
    }
    let mut s = state.lock();
    let now = s.world.now();
    let Some(call) = s.world.calls.get_mut(&req.job_id) else {
        return refuse(StatusCode::NOT_FOUND, "未找到通话记录".into());
    };
    call.status_override = Some(req.call_status);
    let case_id = call.case_id.clone();
    if let Some(case) = s.world.case_mut(&case_id) {
        case.updated_ms = now;
    }
    fail(StatusCode::OK, "状态更新成功")
}

async fn ocr_process(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let req: OcrRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if let Err(e) = require_id("caseId", &req.case_id) {
        return fail(StatusCode::BAD_REQUEST, format!("请求参数错误: {e}"));
    }
    let mut s = state.lock();
    match s.world.run_ocr(&req.case_id) {
        // The spec's example answer is a bare `{}`.
        Some(_) if s.config.spec_literal => (StatusCode::OK, Json(serde_json::json!({}))).into_response(),
        Some(result) => envelope(StatusCode::OK, "OCR处理已开始", result),
        None => fail(StatusCode::NOT_FOUND, "案件不存在"),
    }
}

async fn ocr_status(State(state): State<Shared>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = admit(&state, &headers).await {
        return r;
    }
    let case_id = q.get("caseId").cloned().unwrap_or_default();
    let s = state.lock();
    match s.world.ocr_state(&case_id) {
        Some(result) => envelope(StatusCode::OK, "查询成功", result),
        None => fail(StatusCode::NOT_FOUND, "案件不存在"),
    }
}

/// `GET /redirect?to=URL`: a 302 to anywhere, as a compromised or
/// misconfigured store might answer (for the edge's allow-list tests).
async fn redirect(Query(q): Query<HashMap<String, String>>) -> Response {
    let to = q.get("to").cloned().unwrap_or_default();
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

/// Recordings are public by URL, like OSS signed URLs (no token).
async fn recording(State(state): State<Shared>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let job_id = file.strip_suffix(".wav").unwrap_or(&file);
    let wav = {
        let s = state.lock();
        let now = s.world.now();
        match s.world.calls.get(job_id).filter(|c| c.is_over(now) && !c.turns.is_empty()) {
            Some(call) => audio::wav_for(call),
            None => return (StatusCode::NOT_FOUND, "NoSuchKey").into_response(),
        }
    };
    // Like an object store: byte ranges, so a player can seek.
    let common = [(header::CONTENT_TYPE, "audio/wav"), (header::CACHE_CONTROL, "public, max-age=3600"), (header::ACCEPT_RANGES, "bytes")];
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    match range.map(|r| audio::byte_range(r, wav.len())) {
        None => (common, wav).into_response(),
        Some(Some((start, end))) => {
            let content_range = format!("bytes {start}-{end}/{}", wav.len());
            (StatusCode::PARTIAL_CONTENT, common, [(header::CONTENT_RANGE, content_range)], wav[start..=end].to_vec()).into_response()
        }
        Some(None) => (StatusCode::RANGE_NOT_SATISFIABLE, [(header::CONTENT_RANGE, format!("bytes */{}", wav.len()))]).into_response(),
    }
}
