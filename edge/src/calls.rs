//! AI calls: place one (idempotent), read or change a call's status, read the
//! conversations with their note results, and fetch a recording.

use shared::wire::api::ErrorCode;
use std::collections::HashMap;

use serde::de::IgnoredAny;
use shared::wire::access::Op;
use serde_json::json;
use shared::wire::privacy;
use shared::wire::api::{
    connected_job_ids, link_orphans, mask_phone, orphan_window, time_of_job_id, CallView, ConversationsResponse, EventData, EventKind, NoteView, NotesResponse, OutcomeUnknown,
    PlaceCallResponse, PlacedResult, RecordingLink, RowPatch, StatusChange,
};
use shared::wire::media;
use shared::wire::mediation::answer::{fate_of_key, KeyFate, Shape};
use shared::wire::mediation::{paths, require_id, CallErrorCode, CallRequest, CallResult, CallStatusInfo, ConversationLog, Turn, UpdateStatusRequest};
use shared::wire::session::Claims;
use shared::time::format_shanghai;
use worker::{Context, Headers, Method, Request, RequestInit, Response, ResponseBuilder, RouteContext};

use crate::auth;
use crate::store::audit_action as audit;
use crate::http::{self, Failure, Reply};
use crate::live;
use crate::search;
use crate::store::{self, Claim};
use crate::upstream::{self, q};

/// `POST /api/calls` with an `Idempotency-Key` header: a double submit with
/// the same key places one call and gets the same answer.
pub async fn place(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::PlaceCall)?;
    let key = req.headers().get("Idempotency-Key")?.unwrap_or_default();
    if key.trim().is_empty() || key.len() > 100 {
        return Err(Failure::field(&shared::FieldError::new("Idempotency-Key", "header is required (1 to 100 characters), e.g. a UUID per submit")));
    }
    // One call of a bulk run from the board: the run's id goes into the audit trail.
    let run = req.headers().get("X-Bulk-Run")?;
    if let Some(r) = &run {
        require_id("X-Bulk-Run", r).map_err(|e| Failure::field(&e))?;
    }
    let call: CallRequest = http::read_json(&mut req, 16 * 1024).await?;
    call.validate().map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let scoped_key = store::idempotency_scope(&claims.sub, key.trim());
    let body = serde_json::to_string(&call).expect("serialises");
    match store::claim(&db, &scoped_key, &claims.sub, &request_hash(&body)).await? {
        Claim::Done { status, body } => {
            let r = Response::from_bytes(body.into_bytes())?.with_status(status);
            r.headers().set("Content-Type", "application/json")?;
            r.headers().set("Cache-Control", "no-store")?;
            r.headers().set("Idempotent-Replayed", "true")?;
            return Ok(r);
        }
        Claim::Unknown { reason } => return Err(outcome_unknown(409, &reason)),
        Claim::Mismatch => {
            return Err(Failure::new(422, ErrorCode::IdempotencyKeyReused, "这个 Idempotency-Key 已用于另一个外呼请求 (key reused with a different request)"));
        }
        Claim::InFlight => return Err(Failure::new(409, ErrorCode::InFlight, "同一外呼请求正在处理中,请稍候 (a request with this Idempotency-Key is in flight)")),
        Claim::New => {}
    }
    let result = upstream::call::<Vec<CallResult>>(&ctx.env, Method::Post, paths::CALL_V2, Some(body), Shape::Envelope).await;
    let target = match &run {
        Some(r) => format!("{} · bulk run {r}", call.call_person_id),
        None => call.call_person_id.clone(),
    };
    audit(&ctx.env, &claims, "call", Some(&call.case_id), Some(&target), &result).await;
    match result {
        Ok(answered) => {
            let response = PlaceCallResponse { results: answered.data };
            let text = serde_json::to_string(&response).expect("serialises");
            store::finish(&db, &scoped_key, answered.status, &text).await?;
            let results: Vec<PlacedResult> = response
                .results
                .iter()
                .map(|r| PlacedResult { person_id: r.person_id.clone(), error_code: r.error_code.code(), job_id: r.job_id.clone() })
                .collect();
            let placed: Vec<(String, String)> = results.iter().filter_map(|r: &PlacedResult| Some((r.job_id.clone()?, call.case_id.clone()))).collect();
            if let Err(e) = search::remember_cases(&db, &placed).await {
                worker::console_warn!("search: could not note the case of {} calls: {e}", placed.len());
            }
            let tasks: Vec<(String, Option<String>)> = response.results.iter().filter_map(|r| Some((r.job_id.clone()?, r.task_name.clone()))).collect();
            crate::insights::note_placement(&db, &tasks, &claims.sub).await;
            for r in response.results.iter().filter(|r| r.error_code == CallErrorCode::LimitReached) {
                crate::attention::call_limit_reached(&ctx, &call.case_id, &r.person_id).await;
            }
            live::announce(&ctx, EventKind::CallPlaced, Some(&call.case_id), None, EventData { results, ..EventData::default() });
            Ok(http::json(answered.status, &response)?)
        }
        Err(f) => match fate_of_key(&f.attempt) {
            KeyFate::Release => {
                store::release(&db, &scoped_key).await?;
                Err(f.failure)
            }
            KeyFate::Keep => {
                store::finish(&db, &scoped_key, f.failure.status, &serde_json::to_string(&f.failure.body).expect("serialises")).await?;
                Err(f.failure)
            }
            KeyFate::OutcomeUnknown => {
                let unknown = OutcomeUnknown { case_id: call.case_id.clone(), call_person_id: call.call_person_id.clone(), reason: f.failure.body.error.message.clone() };
                store::mark_unknown(&db, &scoped_key, &serde_json::to_string(&unknown).expect("serialises")).await?;
                Err(outcome_unknown(f.failure.status, &unknown.reason))
            }
        },
    }
}

/// The answer when a call may or may not have been placed: never a second call.
fn outcome_unknown(status: u16, reason: &str) -> Failure {
    Failure::new(
        status,
        ErrorCode::OutcomeUnknown,
        format!("外呼结果未知({reason}):调解后台可能已经拨出。为免重复拨打,本次不会再次发起,请先查询当事人的通话状态 (the call may have been placed; check its status instead of calling again)"),
    )
}

/// SHA-256 of the request body, hex.
fn request_hash(body: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The query's parameters; one given empty is bad input, not absent.
fn query_of(req: &Request) -> Result<HashMap<String, String>, Failure> {
    non_empty(http::query(req)?)
}

fn non_empty(query: http::Query) -> Result<HashMap<String, String>, Failure> {
    let mut out = HashMap::new();
    for (k, v) in query.0 {
        if v.trim().is_empty() {
            return Err(Failure::field(&shared::FieldError::new(k, "is empty; leave it out or give a value")));
        }
        out.insert(k, v);
    }
    Ok(out)
}

/// `GET /api/calls/status?caseRef=&phoneNumber=&jobId=`.
pub async fn status(req: Request, ctx: RouteContext<Context>) -> Reply {
    // Asking by number answers whether a guessed number is right: only for
    // roles that see numbers anyway, refused before anything is looked up.
    // The query is read once; one that cannot be read is gated as the
    // stricter question, so the caller's role is checked before its 400.
    let query = http::query(&req);
    let by_number = query.as_ref().map_or(true, |q| q.get("phoneNumber").is_some());
    let claims = auth::gate(&req, &ctx.env, if by_number { Op::CallStatusByNumber } else { Op::CallStatus })?;
    let query = non_empty(query?)?;
    let mut parts = vec![];
    for name in ["caseRef", "phoneNumber", "jobId"] {
        if let Some(v) = query.get(name) {
            parts.push(format!("{name}={}", q(v)));
        }
    }
    if parts.is_empty() {
        return Err(Failure::field(&shared::FieldError::new("jobId", "give caseRef, phoneNumber or jobId")));
    }
    let path = format!("{}?{}", paths::CALL_STATUS, parts.join("&"));
    let mut info = upstream::call::<CallStatusInfo>(&ctx.env, Method::Get, &path, None, Shape::Envelope).await?.data;
    if !claims.role.sees_phone_numbers() {
        info.phone_number = mask_phone(&info.phone_number);
    }
    http::ok(&info)
}

/// `POST /api/calls/{jobId}/status` `{ "callStatus": … }`.
pub async fn update_status(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::UpdateCallStatus)?;
    let job_id = ctx.param("job_id").cloned().unwrap_or_default();
    let change: StatusChange = http::read_json(&mut req, 4 * 1024).await?;
    let update = UpdateStatusRequest { job_id: job_id.clone(), call_status: change.call_status };
    update.validate().map_err(|e| Failure::field(&e))?;
    let body = serde_json::to_string(&update).expect("serialises");
    let result = upstream::call::<Option<IgnoredAny>>(&ctx.env, Method::Post, paths::UPDATE_STATUS, Some(body), Shape::Envelope).await;
    audit(&ctx.env, &claims, "update_status", None, Some(&format!("{job_id} → {}", update.call_status)), &result).await;
    let answered = result?;
    let row = RowPatch { call_status: Some(update.call_status.clone()), ..RowPatch::default() };
    let data = EventData { row, by: Some(claims.sub.clone()), ..EventData::default() };
    live::announce(&ctx, EventKind::CallStatusChanged, None, Some(&job_id), data);
    http::ok(&json!({ "jobId": job_id, "callStatus": update.call_status, "message": answered.message }))
}

fn mask_notes(notes: &mut [NoteView], claims: &Claims) {
    if !claims.role.sees_phone_numbers() {
        for n in notes {
            n.cell_number = n.cell_number.as_deref().map(mask_phone);
        }
    }
}

/// `GET /api/conversations?caseId=&personId=&jobId=`: calls with their turns
/// parsed and the note results linked to each.
pub async fn conversations(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::Conversations)?;
    let query = query_of(&req)?;
    // Personal data in the texts is masked for everyone; those who oversee
    // may have one call's texts shown, and each time is audited.
    let reveal = match query.get("reveal").map(String::as_str) {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return Err(Failure::field(&shared::FieldError::new("reveal", "must be 1 or 0"))),
    };
    if reveal {
        auth::gate(&req, &ctx.env, Op::RevealTexts)?;
        if !query.contains_key("jobId") {
            return Err(Failure::field(&shared::FieldError::new("jobId", "reveal=1 shows one call: give its jobId")));
        }
    }
    let mut parts = vec![];
    for name in ["caseId", "personId", "jobId"] {
        if let Some(v) = query.get(name) {
            require_id(name, v).map_err(|e| Failure::field(&e))?;
            parts.push(format!("{name}={}", q(v)));
        }
    }
    let path = if parts.is_empty() { paths::CONVERSATION_LOG.to_owned() } else { format!("{}?{}", paths::CONVERSATION_LOG, parts.join("&")) };
    let logs = upstream::call::<Vec<ConversationLog>>(&ctx.env, Method::Get, &path, None, Shape::Envelope).await?.data;

    let db = store::db(&ctx.env)?;
    let job_ids: Vec<String> = logs.iter().map(|l| l.job_id.clone()).collect();
    let mut notes = store::notes_for_jobs(&db, &job_ids).await?;

    let mut calls = Vec::with_capacity(logs.len());
    for log in logs {
        // One call whose turns cannot be read is listed as such; the others as usual.
        let (turns, unreadable) = match log.turns() {
            Ok(turns) => (turns, None),
            Err(e) => (vec![], Some(format!("调解后台的通话内容无法解析 (conversations: {})", e.problem))),
        };
        let mine: Vec<NoteView> = notes.iter().filter(|n| n.out_id.as_deref() == Some(log.job_id.as_str())).cloned().collect();
        calls.push(CallView {
            recording: (!log.record_url.is_empty()).then(|| format!("/api/recordings/{}", log.job_id)),
            started_at: turns.first().map(|t| t.timestamp).or_else(|| time_of_job_id(&log.job_id)),
            raw_conversations: (unreadable.is_some() && claims.role.sees_raw_data()).then(|| log.conversations.clone()),
            unreadable,
            job_id: log.job_id,
            call_type: log.call_type,
            call_status: log.call_status,
            turns,
            notes: mine,
            masked: false,
        });
    }

    // Records without a usable out_id: linked by the party's number and time
    // (shared::wire::api::link_orphans); the numbers are asked only when there are some.
    if let Some((from, to)) = orphan_window(&calls) {
        let orphans = store::orphan_notes(&db, &format_shanghai(from), &format_shanghai(to)).await?;
        if !orphans.is_empty() {
            let mut phones = HashMap::new();
            for job_id in connected_job_ids(&calls) {
                if let Some(phone) = call_phone(&ctx.env, &job_id).await {
                    phones.insert(job_id, phone);
                }
            }
            link_orphans(&mut calls, &orphans, |job| phones.get(job).cloned());
        }
    }
    if let Some(case_id) = query.get("caseId") {
        index_after_answer(&ctx, case_id, &calls);
    }
    for call in &mut calls {
        mask_notes(&mut call.notes, &claims);
        if !reveal {
            call.masked = privacy::mask_call(call);
        }
    }
    notes.clear();
    if reveal {
        let target = query.get("jobId").map(String::as_str);
        let shown = calls.len();
        let case_id = query.get("caseId").map(String::as_str);
        store::audit(&db, &claims, "reveal", case_id, target, 200, &format!("{shown} call(s) shown unmasked"))
            .await?;
    }
    http::ok(&ConversationsResponse { calls })
}

/// Keeps the case's finished calls searchable, after the answer has gone:
/// those not indexed yet are (their texts masked there, whatever this
/// request shows).
fn index_after_answer(ctx: &RouteContext<Context>, case_id: &str, calls: &[CallView]) {
    // Turns as read; masked only for the calls not indexed yet (a case page
    // reads its calls again and again, and most are indexed by then).
    let finished: Vec<(String, Vec<Turn>)> = calls
        .iter()
        .filter(|c| c.call_status.is_final() && c.unreadable.is_none() && !c.turns.is_empty())
        .map(|c| (c.job_id.clone(), c.turns.clone()))
        .collect();
    if finished.is_empty() {
        return;
    }
    let env = ctx.env.clone();
    let case_id = case_id.to_owned();
    ctx.data.wait_until(async move {
        let result = async {
            let db = store::db(&env)?;
            let ids: Vec<String> = finished.iter().map(|(job, _)| job.clone()).collect();
            let todo = search::unindexed(&db, &ids).await?;
            let calls: Vec<search::CallText> =
                finished.iter().filter(|(job, _)| todo.contains(job)).map(|(job, turns)| search::CallText::of(job, &case_id, turns)).collect();
            search::index(&db, &calls).await?;
            Ok::<(), Failure>(())
        };
        if let Err(e) = result.await {
            worker::console_warn!("search: indexing a case's calls failed: {e:?}");
        }
    });
}

/// The number a call dialled (from the backend's status query).
async fn call_phone(env: &worker::Env, job_id: &str) -> Option<String> {
    let path = format!("{}?jobId={}", paths::CALL_STATUS, q(job_id));
    upstream::call::<CallStatusInfo>(env, Method::Get, &path, None, Shape::Envelope).await.ok().map(|a| a.data.phone_number)
}

/// `GET /api/notes?jobId=`: the note results stored for one call.
pub async fn notes(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::Notes)?;
    let query = query_of(&req)?;
    let job_id = query.get("jobId").cloned().unwrap_or_default();
    require_id("jobId", &job_id).map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let t0 = auth::now_ms();
    let mut notes = store::notes_for_jobs(&db, &[job_id]).await?;
    let d1_ms = auth::now_ms() - t0;
    mask_notes(&mut notes, &claims);
    // As in the call's conversation: personal data in the texts masked.
    for n in &mut notes {
        privacy::mask_note(&mut n.outcome);
    }
    let r = http::ok(&NotesResponse { notes })?;
    r.headers().set("Server-Timing", &format!("d1;dur={d1_ms}"))?;
    Ok(r)
}

/// `GET /api/recordings/{jobId}/link`: a short-lived link that plays the
/// recording without the session token (an `<audio>` element cannot send one).
pub async fn recording_link(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::RecordingLink)?;
    let job_id = ctx.param("job_id").cloned().unwrap_or_default();
    require_id("jobId", &job_id).map_err(|e| Failure::field(&e))?;
    let secret = auth::session_secret(&ctx.env)?;
    let exp = media::expiry(auth::now_secs(), claims.exp);
    http::ok(&RecordingLink { url: media::link(secret.as_bytes(), &job_id, exp), expires_at: exp })
}

/// `GET /api/recordings/{jobId}`, with the session token or a signed link's
/// `exp` and `sig`: the call's recording, streamed from the URL the backend
/// gave for it (never from a URL the browser names). `Range` requests are
/// passed on, so a player can seek without downloading the whole call.
pub async fn recording(req: Request, ctx: RouteContext<Context>) -> Reply {
    let job_id = ctx.param("job_id").cloned().unwrap_or_default();
    require_id("jobId", &job_id).map_err(|e| Failure::field(&e))?;
    authorize_recording(&req, &ctx.env, &job_id)?;
    let path = format!("{}?jobId={}", paths::CONVERSATION_LOG, q(&job_id));
    let logs = upstream::call::<Vec<ConversationLog>>(&ctx.env, Method::Get, &path, None, Shape::Envelope).await?.data;
    let Some(url) = logs.into_iter().find(|l| l.job_id == job_id).map(|l| l.record_url).filter(|u| !u.is_empty()) else {
        return Err(Failure::not_found("这通电话没有录音 (no recording for this call)"));
    };
    let allowed = crate::config::recording_origins(&ctx.env).map_err(|e| Failure::setting(&e))?;
    let range = req.headers().get("Range")?;
    let audio = fetch_recording(&url, range.as_deref(), &allowed).await?;
    let status = audio.status_code();
    if !matches!(status, 200 | 206 | 416) {
        worker::console_warn!("recording for {job_id}: the store answered HTTP {status}");
        return Err(recording_unavailable());
    }
    let out = Headers::new();
    out.set("Content-Type", &audio.headers().get("Content-Type")?.unwrap_or_else(|| "audio/wav".into()))?;
    for name in ["Content-Length", "Content-Range", "Accept-Ranges"] {
        if let Some(v) = audio.headers().get(name)? {
            out.set(name, &v)?;
        }
    }
    out.set("Cache-Control", "private, max-age=300")?;
    Ok(ResponseBuilder::new().with_status(status).with_headers(out).body(audio.body().clone()))
}

/// The one answer for any recording that cannot be fetched: it never
/// names the URL, the host or what went wrong (those go to the log).
fn recording_unavailable() -> Failure {
    Failure::new(502, ErrorCode::RecordingUnavailable, "录音暂时无法获取,请稍后重试 (recording unavailable)")
}

/// Most redirects followed, each checked against the allow-list like the first URL.
const MAX_REDIRECTS: usize = 3;

/// Fetches a recording from a URL the backend gave, only from an allowed
/// origin (`RECORDING_ORIGINS`), following redirects only within it.
async fn fetch_recording(url: &str, range: Option<&str>, allowed: &[shared::wire::origins::AllowedOrigin]) -> Result<Response, Failure> {
    let mut next = url.to_owned();
    for _ in 0..=MAX_REDIRECTS {
        let Some(target) = shared::wire::origins::allowed_url(&next, allowed) else {
            let host = shared::wire::origins::origin_of(&next).map(|o| o.host).unwrap_or_else(|| "(not a URL)".into());
            worker::console_warn!("recording refused: {host} is not in RECORDING_ORIGINS");
            return Err(recording_unavailable());
        };
        let headers = Headers::new();
        if let Some(range) = range {
            headers.set("Range", range)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Get).with_headers(headers).with_redirect(worker::RequestRedirect::Manual);
        let response = upstream::fetch_with_timeout(Request::new_with_init(&target, &init)?, upstream::TIMEOUT).await.map_err(|t| {
            worker::console_warn!("recording fetch failed: {t:?}");
            recording_unavailable()
        })?;
        if !(300..400).contains(&response.status_code()) {
            return Ok(response);
        }
        let location = response.headers().get("Location")?.unwrap_or_default();
        next = shared::wire::origins::resolve_location(&target, &location).ok_or_else(recording_unavailable)?;
    }
    worker::console_warn!("recording: more than {MAX_REDIRECTS} redirects");
    Err(recording_unavailable())
}

/// A signed link (`exp` and `sig` in the query) or the session token.
fn authorize_recording(req: &Request, env: &worker::Env, job_id: &str) -> Result<(), Failure> {
    let query = query_of(req)?;
    let Some(sig) = query.get("sig") else {
        if query.contains_key("exp") {
            let mut f = Failure::forbidden("录音链接不完整 (a signed link has both exp and sig)");
            f.body.error.field = Some("sig".into());
            return Err(f);
        }
        return auth::gate(req, env, Op::Recording).map(|_| ());
    };
    let secret = auth::session_secret(env)?;
    let exp = query.get("exp").map(String::as_str).unwrap_or_default();
    media::verify(secret.as_bytes(), job_id, exp, sig, auth::now_secs()).map_err(|e| {
        let mut f = Failure::forbidden(&e.to_string());
        f.body.error.field = Some(if matches!(e, media::LinkError::Malformed("exp")) { "exp" } else { "sig" }.into());
        f
    })
}
