//! The live connection: one WebSocket to `/api/live`, authenticated by its
//! first message, reconnecting with backoff and asking for what it missed.
//! Screens read [`Live::version`] and take the events they have not seen from
//! [`Live::since`]; while the socket is down they poll instead.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use shared::api::{ClientMessage, LiveEvent, ServerMessage};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::session::Session;

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
    ws: Option<web_sys::WebSocket>,
    last_seq: Option<i64>,
    attempts: u32,
    stopped: bool,
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

/// Starts the live connection for the session; it follows token changes.
pub fn start(session: Session) -> Live {
    let live = Live {
        state: RwSignal::new(LiveState::Connecting),
        version: RwSignal::new(0),
        gap: RwSignal::new(0),
        recent: StoredValue::new_local(VecDeque::new()),
    };
    let socket = Rc::new(RefCell::new(Socket { ws: None, last_seq: None, attempts: 0, stopped: false, _handlers: vec![] }));
    let socket_for_effect = send_wrapper::SendWrapper::new(socket.clone());
    crate::effect(move || {
        let token = session.token();
        let socket = (*socket_for_effect).clone();
        match token {
            None => close(&socket, live),
            Some(token) => {
                let open = socket.borrow().ws.as_ref().is_some_and(|ws| ws.ready_state() == web_sys::WebSocket::OPEN);
                if open {
                    // A refreshed token: say hello again on the same socket.
                    send(&socket, &ClientMessage::Hello { token, since: None });
                } else if socket.borrow().ws.is_none() {
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
        let ws = socket.borrow_mut().ws.take();
        if let Some(ws) = ws {
            let _ = ws.close();
        }
    });
    live
}

fn close(socket: &Rc<RefCell<Socket>>, live: Live) {
    let mut s = socket.borrow_mut();
    s.stopped = true;
    if let Some(ws) = s.ws.take() {
        let _ = ws.close();
    }
    live.state.set(LiveState::Polling);
}

fn send(socket: &Rc<RefCell<Socket>>, message: &ClientMessage) {
    if let Some(ws) = &socket.borrow().ws {
        let _ = ws.send_with_str(&serde_json::to_string(message).expect("serialises"));
    }
}

fn ws_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/api/live", location.host().ok()?))
}

fn connect(socket: Rc<RefCell<Socket>>, live: Live, session: Session) {
    let Some(url) = ws_url() else { return };
    let Ok(ws) = web_sys::WebSocket::new(&url) else {
        live.state.set(LiveState::Polling);
        return;
    };
    live.state.set(if socket.borrow().attempts == 0 { LiveState::Connecting } else { LiveState::Reconnecting });

    let on_open = {
        let socket = socket.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(token) = session.token_untracked() {
                let since = socket.borrow().last_seq;
                send(&socket, &ClientMessage::Hello { token, since });
            }
        })
    };
    let on_message = {
        let socket = socket.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(text) = ev.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string()) else { return };
            match ServerMessage::decode(&text) {
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
                Some(ServerMessage::TokenExpiring) => {
                    crate::embed::notify_token_expiring();
                }
                Some(ServerMessage::TokenExpired | ServerMessage::Error { .. } | ServerMessage::Pong) | None => {}
            }
        })
    };
    let on_close = {
        let socket = socket.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let (stopped, attempts) = {
                let mut s = socket.borrow_mut();
                s.ws = None;
                s.attempts += 1;
                (s.stopped, s.attempts)
            };
            if stopped {
                return;
            }
            live.state.set(if attempts > 3 { LiveState::Polling } else { LiveState::Reconnecting });
            // 1, 2, 4, 8 … up to 30 seconds.
            let delay = (1000u64 << attempts.min(5)).min(30_000);
            let socket = send_wrapper::SendWrapper::new(socket.clone());
            set_timeout(
                move || {
                    let socket = (*socket).clone();
                    if !socket.borrow().stopped && socket.borrow().ws.is_none() && session.token_untracked().is_some() {
                        connect(socket, live, session);
                    }
                },
                std::time::Duration::from_millis(delay),
            );
        })
    };
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut s = socket.borrow_mut();
    s.ws = Some(ws);
    s._handlers = vec![on_open, on_message, on_close];
}
