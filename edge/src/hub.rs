//! The live hub: one Durable Object (`BoardHub`) holds every open board's
//! WebSocket (with hibernation), numbers events, keeps the last ones so a
//! client that reconnects catches up, and, while boards are open, polls the
//! backend's board list to turn upstream changes into events (and keeps how
//! each call ended, for the attention rule on calls not connected in a row).
//!
//! Protocol (`shared::wire::api::{ClientMessage, ServerMessage}`): connect to
//! `/api/live`, send `{"type":"hello","token":…,"since":lastSeq}` within 10 s
//! (the token travels in the message, not the URL), then receive `welcome`,
//! any missed `event`s (or `gap` if they are gone), and live `event`s.
//!
//! Bounds: at most [`MAX_WAITING`] sockets may wait for their hello at once
//! (more are refused with 503) and each is closed after [`HELLO_TIMEOUT_MS`];
//! a user has at most [`MAX_PER_USER`] sockets (a new one closes their oldest).

use shared::wire::api::ErrorCode;
use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use shared::wire::api::{ClientMessage, EventData, EventKind, RowPatch};

/// The hub keeps and sends whole events (the board reads what it needs).
type LiveEvent = shared::wire::api::LiveEvent<EventData>;
type ServerMessage = shared::wire::api::ServerMessage<EventData>;
use shared::wire::mediation::BoardRecord;
use worker::{
    durable_object, DurableObject, Env, ListOptions, Request, Response, Result, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair,
};

use crate::auth::now_ms;
use crate::live::NewEvent;

/// Events kept for clients that reconnect.
const KEEP: i64 = 1000;
/// Most keys one Durable Object storage call may write or delete.
const MAX_KEYS_PER_CALL: usize = 128;
/// Time an unauthenticated socket may stay open.
pub const HELLO_TIMEOUT_MS: i64 = 10_000;
/// Sockets that may wait for their hello at once.
pub const MAX_WAITING: usize = 64;
/// Open sockets per user (tabs, embedded boards).
pub const MAX_PER_USER: usize = 8;
/// Board poll interval while boards are open.
const POLL_MS: i64 = 3_000;

#[derive(Serialize, Deserialize, Default)]
struct Attachment {
    authed: bool,
    user: Option<String>,
    opened_ms: i64,
    /// The token's `exp` (seconds): the socket closes when it passes.
    #[serde(default)]
    exp: i64,
}

/// A board row's fields whose change is worth an event.
#[derive(Clone, PartialEq)]
struct Snapshot {
    job_id: Option<String>,
    call_status: Option<String>,
    stage: String,
    takeover_user: Option<String>,
    dispute: String,
}

#[durable_object]
pub struct BoardHub {
    state: State,
    env: Env,
    last_board: RefCell<Option<HashMap<String, Snapshot>>>,
}

impl BoardHub {
    async fn last_seq(&self) -> Result<i64> {
        Ok(self.state.storage().get::<i64>("seq").await?.unwrap_or(0))
    }

    async fn append(&self, new: NewEvent) -> Result<LiveEvent> {
        Ok(self.append_all(vec![new]).await?.remove(0))
    }

    /// Numbers and stores events, at most 128 keys per storage call (the
    /// platform's limit: a larger `put` fails, and its events would never
    /// reach open boards), then deletes the ones that fall out of the kept window.
    async fn append_all(&self, batch: Vec<NewEvent>) -> Result<Vec<LiveEvent>> {
        let storage = self.state.storage();
        let first = self.last_seq().await? + 1;
        let at = now_ms();
        let events: Vec<LiveEvent> = batch
            .into_iter()
            .enumerate()
            .map(|(i, new)| LiveEvent { seq: first + i as i64, at, kind: new.kind, case_id: new.case_id, job_id: new.job_id, data: new.data })
            .collect();
        let last = first + events.len() as i64 - 1;
        // The events first, then the counter, so a reader never sees a seq
        // whose event is not stored yet.
        for chunk in events.chunks(MAX_KEYS_PER_CALL) {
            let writes = js_sys::Object::new();
            for e in chunk {
                js_sys::Reflect::set(&writes, &key(e.seq).into(), &serde_json::to_string(e)?.into())?;
            }
            storage.put_multiple_raw(writes).await?;
        }
        storage.put("seq", last).await?;
        let stale: Vec<String> = (first - KEEP..=last - KEEP).filter(|s| *s > 0).map(key).collect();
        for chunk in stale.chunks(MAX_KEYS_PER_CALL) {
            storage.delete_multiple(chunk.to_vec()).await?;
        }
        Ok(events)
    }

    fn broadcast(&self, event: &LiveEvent) {
        let message = ServerMessage::Event { event: event.clone() };
        for ws in self.state.get_websockets() {
            if attachment(&ws).authed {
                let _ = ws.send(&message);
            }
        }
    }

    async fn replay(&self, ws: &WebSocket, since: i64) -> Result<()> {
        let last = self.last_seq().await?;
        if since >= last {
            return Ok(());
        }
        let oldest = (last - KEEP + 1).max(1);
        if since + 1 < oldest {
            ws.send(&ServerMessage::Gap { oldest_seq: oldest })?;
        }
        let start = key((since + 1).max(oldest));
        let events = self.state.storage().list_with_options(ListOptions::new().prefix("e:").start(&start)).await?;
        for value in events.values() {
            let text = value?.as_string().unwrap_or_default();
            if let Ok(event) = serde_json::from_str::<LiveEvent>(&text) {
                ws.send(&ServerMessage::Event { event })?;
            }
        }
        Ok(())
    }

    async fn ensure_alarm(&self) -> Result<()> {
        if self.state.storage().get_alarm().await?.is_none() {
            self.state.storage().set_alarm(std::time::Duration::from_millis(1_000)).await?;
        }
        Ok(())
    }

    /// Reads the board and publishes what changed since the last look.
    async fn poll_board(&self) -> Result<()> {
        // The board is read a case at a time (a large one cannot be held
        // whole), each compared with how it was at the last look.
        let previous = self.last_board.borrow_mut().take();
        let mut now: HashMap<String, Snapshot> = HashMap::with_capacity(previous.as_ref().map_or(0, HashMap::len));
        let mut learnt: Vec<(String, String)> = vec![];
        let mut disputes: Vec<(String, String)> = vec![];
        let mut ended: Vec<crate::attention::CallEnded> = vec![];
        let mut changes: Vec<NewEvent> = vec![];
        let read = crate::board::each_case(&self.env, &mut |r: BoardRecord| {
            let snap = Snapshot {
                job_id: r.job_id.clone(),
                call_status: r.call_status.as_ref().map(|s| s.to_string()),
                stage: r.stage.to_string(),
                takeover_user: r.takeover_user.clone(),
                dispute: r.dispute_type.as_str().to_owned(),
            };
            let before = previous.as_ref().and_then(|p| p.get(&r.case_id));
            // A case's new call, so the search index can file a call the note
            // agent reports on even when it was placed outside the board (the
            // first look learns nothing: a case page files older calls when read).
            if let (Some(before), Some(job)) = (before, &r.job_id) {
                if before.job_id.as_ref() != Some(job) {
                    learnt.push((job.clone(), r.case_id.clone()));
                }
            }
            // Each case's dispute kind for the insights (all of them at the
            // first look, then the new and the changed).
            if !snap.dispute.is_empty() && before.is_none_or(|b| b.dispute != snap.dispute) {
                disputes.push((r.case_id.clone(), snap.dispute.clone()));
            }
            if let Some(before) = before.filter(|b| **b != snap) {
                let call_changed = before.job_id != snap.job_id || before.call_status != snap.call_status;
                // Calls that ended since the last look, for the runs of calls not connected.
                if let (true, Some(status), Some(job_id)) = (call_changed, r.call_status.clone().filter(|s| s.is_final()), r.job_id.clone()) {
                    ended.push(crate::attention::CallEnded {
                        case_id: r.case_id.clone(),
                        person_id: r.call_person_id.clone().unwrap_or_default(),
                        job_id,
                        status,
                        started: r.start_time.clone(),
                    });
                }
                let kind = if call_changed { EventKind::CallStatusChanged } else { EventKind::BoardChanged };
                let data = EventData { row: RowPatch::row(&r), ..EventData::default() };
                changes.push(NewEvent { kind, case_id: Some(r.case_id.clone()), job_id: r.job_id.clone(), data });
            }
            now.insert(r.case_id, snap);
            Ok(())
        })
        .await;
        if read.is_err() {
            // Not read whole: the next look compares with the last whole one.
            self.last_board.replace(previous);
            return Ok(());
        }
        let first_look = previous.is_none();
        drop(previous);
        self.last_board.replace(Some(now));
        if !learnt.is_empty() {
            if let Ok(db) = crate::store::db(&self.env) {
                if let Err(e) = crate::search::remember_cases(&db, &learnt).await {
                    worker::console_warn!("hub: could not note the case of {} calls: {e}", learnt.len());
                }
            }
        }
        if !disputes.is_empty() {
            if let Ok(db) = crate::store::db(&self.env) {
                if let Err(e) = crate::insights::note_disputes(&db, &disputes).await {
                    worker::console_warn!("hub: could not note the dispute kind of {} cases: {e}", disputes.len());
                }
            }
        }
        if first_look {
            return Ok(());
        }
        for change in changes {
            let event = self.append(change).await?;
            self.broadcast(&event);
        }
        // After the calls' own events: the queue changed because they ended.
        if !ended.is_empty() {
            if let Ok(db) = crate::store::db(&self.env) {
                for new in crate::attention::calls_ended(&db, &ended).await {
                    let event = self.append(new).await?;
                    self.broadcast(&event);
                }
            }
        }
        Ok(())
    }
}

impl BoardHub {
    /// Closes the user's oldest sockets so that one more stays within [`MAX_PER_USER`].
    fn make_room_for(&self, user: &str) {
        let mut mine: Vec<(i64, WebSocket)> = self
            .state
            .get_websockets()
            .into_iter()
            .filter_map(|ws| {
                let a = attachment(&ws);
                (a.authed && a.user.as_deref() == Some(user)).then_some((a.opened_ms, ws))
            })
            .collect();
        mine.sort_by_key(|(opened, _)| *opened);
        let excess = (mine.len() + 1).saturating_sub(MAX_PER_USER);
        for (_, ws) in mine.into_iter().take(excess) {
            let _ = ws.send(&ServerMessage::Error { message: format!("同一用户最多 {MAX_PER_USER} 个实时连接,已关闭最早的一个 (too many connections for this user)") });
            let _ = ws.close(Some(4008), Some("too many connections for this user"));
        }
    }
}

fn key(seq: i64) -> String {
    format!("e:{seq:012}")
}

fn attachment(ws: &WebSocket) -> Attachment {
    ws.deserialize_attachment().ok().flatten().unwrap_or_default()
}

impl DurableObject for BoardHub {
    fn new(state: State, env: Env) -> Self {
        Self { state, env, last_board: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.path().as_str() {
            "/publish" => {
                let batch: Vec<NewEvent> = req.json().await?;
                let published = self.append_all(batch).await?;
                for event in &published {
                    self.broadcast(event);
                }
                Response::from_json(&published.len())
            }
            _ => {
                // Sockets that never say hello cost every broadcast a look:
                // close the overdue ones, and refuse more than a few waiting.
                let now = now_ms();
                let mut waiting = 0;
                for ws in self.state.get_websockets() {
                    let a = attachment(&ws);
                    if a.authed {
                        continue;
                    }
                    if now - a.opened_ms > HELLO_TIMEOUT_MS {
                        let _ = ws.close(Some(4001), Some("no hello in time"));
                    } else {
                        waiting += 1;
                    }
                }
                if waiting >= MAX_WAITING {
                    return crate::http::json(
                        503,
                        &shared::wire::api::ApiError::new(ErrorCode::TooManyConnections, "等待登录的实时连接过多,请稍后重试 (too many connections waiting for hello)"),
                    );
                }
                let pair = WebSocketPair::new()?;
                self.state.accept_web_socket(&pair.server);
                pair.server.serialize_attachment(Attachment { authed: false, user: None, opened_ms: now_ms(), exp: 0 })?;
                self.ensure_alarm().await?;
                Response::from_websocket(pair.client)
            }
        }
    }

    async fn websocket_message(&self, ws: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        let WebSocketIncomingMessage::String(text) = message else {
            ws.close(Some(1003), Some("text messages only"))?;
            return Ok(());
        };
        let authed = attachment(&ws).authed;
        match serde_json::from_str::<ClientMessage>(&text) {
            Ok(ClientMessage::Hello { token, since }) => {
                // The same verification as every request (secret, lifetime,
                // issuer): without a secret nothing verifies.
                match crate::auth::verify(&token, &self.env) {
                    Ok(claims) => {
                        let before = attachment(&ws);
                        let refresh = before.authed && before.user.as_deref() == Some(claims.sub.as_str());
                        if !refresh {
                            self.make_room_for(&claims.sub);
                        }
                        ws.serialize_attachment(Attachment { authed: true, user: Some(claims.sub), opened_ms: now_ms(), exp: claims.exp })?;
                        let last_seq = self.last_seq().await?;
                        ws.send(&ServerMessage::Welcome { last_seq })?;
                        if let Some(since) = since {
                            self.replay(&ws, since).await?;
                        }
                        self.ensure_alarm().await?;
                    }
                    Err(e) => {
                        ws.send(&ServerMessage::Error { message: e.body.error.message })?;
                        ws.close(Some(4001), Some("unauthorized"))?;
                    }
                }
            }
            Ok(ClientMessage::Ping) if authed => ws.send(&ServerMessage::Pong)?,
            _ => {
                ws.send(&ServerMessage::Error { message: "expected a hello message first".into() })?;
                ws.close(Some(4001), Some("unauthorized"))?;
            }
        }
        Ok(())
    }

    async fn websocket_close(&self, ws: WebSocket, _code: usize, _reason: String, _was_clean: bool) -> Result<()> {
        let _ = ws.close(Some(1000), Some("closed"));
        Ok(())
    }

    async fn websocket_error(&self, _ws: WebSocket, _error: worker::Error) -> Result<()> {
        Ok(())
    }

    async fn alarm(&self) -> Result<Response> {
        let now = now_ms();
        let sockets = self.state.get_websockets();
        let mut open = 0;
        for ws in &sockets {
            let a = attachment(ws);
            if a.authed && a.exp * 1000 <= now {
                let _ = ws.send(&ServerMessage::TokenExpired);
                let _ = ws.close(Some(4001), Some("token expired"));
            } else if a.authed {
                if (a.exp * 1000 - now) < 2 * POLL_MS {
                    let _ = ws.send(&ServerMessage::TokenExpiring);
                }
                open += 1;
            } else if now - a.opened_ms > HELLO_TIMEOUT_MS {
                let _ = ws.close(Some(4001), Some("no hello in time"));
            } else {
                open += 1;
            }
        }
        if open == 0 {
            self.last_board.replace(None);
            return Response::ok("idle");
        }
        // A large board takes longer to read: poll at most a quarter of the time.
        let started = now_ms();
        if sockets.iter().any(|ws| attachment(ws).authed) {
            self.poll_board().await?;
        }
        let next = POLL_MS.max((now_ms() - started) * 4);
        self.state.storage().set_alarm(std::time::Duration::from_millis(next as u64)).await?;
        Response::ok("polled")
    }
}
