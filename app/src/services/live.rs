//! The live connection: one WebSocket (gloo-net) to `/api/live`, authenticated by its
//! first message, reconnecting with backoff and asking for what it missed.
//! Screens read [`Live::version`] and take the events they have not seen from
//! [`Live::since`]; while the socket is down they poll instead.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures_channel::mpsc::UnboundedSender;
use futures_util::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::Message;
use leptos::prelude::*;
use shared::wire::api::{ClientMessage, LiveEvent, ServerMessage};

use crate::services::session::Session;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    Connecting,
    Open,
    Reconnecting,
    /// Given up for now (or never connected): screens poll.
    Polling,
}

impl LiveState {
    pub fn as_str(self) -> &'static str {
        match self {
            LiveState::Connecting => "connecting",
            LiveState::Open => "open",
            LiveState::Reconnecting => "reconnecting",
            LiveState::Polling => "polling",
        }
    }
}

/// Events kept for screens that look later.
const KEEP: usize = 200;

#[derive(Clone, Copy)]
pub struct Live {
    pub state: RwSignal<LiveState>,
    /// Increases with every event received.
    pub version: RwSignal<u64>,
    /// Set when events were lost (the hub no longer had them): reload.
    pub gap: RwSignal<u64>,
    recent: StoredValue<VecDeque<LiveEvent>, LocalStorage>,
}

impl Live {
    /// Events with `seq` greater than `after`, oldest first.
    pub fn since(&self, after: i64) -> Vec<LiveEvent> {
        self.recent.with_value(|r| r.iter().filter(|e| e.seq > after).cloned().collect())
    }

    pub fn last_seq(&self) -> i64 {
        self.recent.with_value(|r| r.back().map(|e| e.seq).unwrap_or(0))
    }

    pub fn is_open(&self) -> bool {
        self.state.get() == LiveState::Open
    }
}

struct Socket {
    /// Messages to send on the open socket; dropping it closes the socket.
    outbox: Option<UnboundedSender<String>>,
    last_seq: Option<i64>,
    attempts: u32,
    stopped: bool,
}

/// Starts the live connection for the session; it follows token changes.
pub fn start(session: Session) -> Live {
    let live = Live {
        state: RwSignal::new(LiveState::Connecting),
        version: RwSignal::new(0),
        gap: RwSignal::new(0),
        recent: StoredValue::new_local(VecDeque::new()),
    };
    let socket = Rc::new(RefCell::new(Socket { outbox: None, last_seq: None, attempts: 0, stopped: false }));
    let socket_for_effect = send_wrapper::SendWrapper::new(socket.clone());
    crate::effect(move || {
        let token = session.token();
        let socket = (*socket_for_effect).clone();
        match token {
            None => close(&socket, live),
            Some(token) => {
                if socket.borrow().outbox.is_some() {
                    // A refreshed token: say hello again on the same socket.
                    send(&socket, &ClientMessage::Hello { token, since: None });
                } else {
                    socket.borrow_mut().stopped = false;
                    connect(socket, live, session);
                }
            }
        }
    });
    let socket_for_cleanup = send_wrapper::SendWrapper::new(socket);
    on_cleanup(move || {
        let socket = (*socket_for_cleanup).clone();
        socket.borrow_mut().stopped = true;
        socket.borrow_mut().outbox = None;
    });
    live
}

fn close(socket: &Rc<RefCell<Socket>>, live: Live) {
    let mut s = socket.borrow_mut();
    s.stopped = true;
    s.outbox = None;
    live.state.set(LiveState::Polling);
}

fn send(socket: &Rc<RefCell<Socket>>, message: &ClientMessage) {
    if let Some(outbox) = &socket.borrow().outbox {
        let _ = outbox.unbounded_send(serde_json::to_string(message).expect("serialises"));
    }
}

fn ws_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/api/live", location.host().ok()?))
}

/// Opens the socket (gloo-net): one task writes what `send` queues (the
/// hello first, once the socket is open), one reads until it closes, then
/// reconnects with backoff.
fn connect(socket: Rc<RefCell<Socket>>, live: Live, session: Session) {
    let Some(url) = ws_url() else { return };
    let Ok(ws) = WebSocket::open(&url) else {
        live.state.set(LiveState::Polling);
        return;
    };
    live.state.set(if socket.borrow().attempts == 0 { LiveState::Connecting } else { LiveState::Reconnecting });
    let (mut sink, mut stream) = ws.split();
    let (outbox, mut queued) = futures_channel::mpsc::unbounded::<String>();
    socket.borrow_mut().outbox = Some(outbox);
    if let Some(token) = session.token_untracked() {
        let since = socket.borrow().last_seq;
        send(&socket, &ClientMessage::Hello { token, since });
    }
    leptos::task::spawn_local(async move {
        while let Some(text) = queued.next().await {
            if sink.send(Message::Text(text)).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    leptos::task::spawn_local(async move {
        while let Some(Ok(message)) = stream.next().await {
            let Message::Text(text) = message else { continue };
            receive(&socket, live, &text);
        }
        closed(socket, live, session);
    });
}

fn receive(socket: &Rc<RefCell<Socket>>, live: Live, text: &str) {
    match ServerMessage::decode(text) {
        Some(ServerMessage::Welcome { last_seq }) => {
            let mut s = socket.borrow_mut();
            s.attempts = 0;
            if s.last_seq.is_none() {
                s.last_seq = Some(last_seq);
            }
            live.state.set(LiveState::Open);
        }
        Some(ServerMessage::Event { event }) => {
            socket.borrow_mut().last_seq = Some(event.seq);
            live.recent.update_value(|r| {
                r.push_back(event);
                while r.len() > KEEP {
                    r.pop_front();
                }
            });
            live.version.update(|v| *v += 1);
        }
        Some(ServerMessage::Gap { .. }) => live.gap.update(|g| *g += 1),
        Some(ServerMessage::TokenExpiring) => crate::services::embed::notify_token_expiring(),
        Some(ServerMessage::TokenExpired | ServerMessage::Error { .. } | ServerMessage::Pong) | None => {}
    }
}

/// The socket closed: reconnect with backoff (1, 2, 4, 8 … up to 30 s) unless stopped.
fn closed(socket: Rc<RefCell<Socket>>, live: Live, session: Session) {
    let (stopped, attempts) = {
        let mut s = socket.borrow_mut();
        s.outbox = None;
        s.attempts += 1;
        (s.stopped, s.attempts)
    };
    if stopped {
        return;
    }
    live.state.set(if attempts > 3 { LiveState::Polling } else { LiveState::Reconnecting });
    let delay = (1000u64 << attempts.min(5)).min(30_000);
    let socket = send_wrapper::SendWrapper::new(socket);
    set_timeout(
        move || {
            let socket = (*socket).clone();
            if !socket.borrow().stopped && socket.borrow().outbox.is_none() && session.token_untracked().is_some() {
                connect(socket, live, session);
            }
        },
        std::time::Duration::from_millis(delay),
    );
}
