//! Notices of my cases (`shared::view::notify`): a toast for each live event
//! about a case I took over (a call ended, its results arrived), a desktop
//! notification when the tab is hidden and the user allowed them, a short
//! tone that can be turned off, and the same notice to an embedding portal.

use leptos::prelude::*;
use shared::view::notify::{attention_notices, notice_for, record_for, reminder_notices, Notice};
use shared::view::render::notify::{notice_text, toasts_html};
use shared::view::render::NOTICE_CLOSE;
use shared::wire::embed::BoardEvent;
use web_sys::NotificationPermission;

use crate::i18n::*;
use crate::services::board_data::BoardState;
use crate::services::live::Live;
use crate::services::session::Session;
use crate::widgets::markup::ctx;

/// How long a toast stays.
const SHOWN_MS: u64 = 15_000;
const SOUND_KEY: &str = "mediation-board.sound";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn permission() -> NotificationPermission {
    web_sys::Notification::permission()
}

/// A short, quiet tone (Web Audio).
fn tone() {
    let Ok(audio) = web_sys::AudioContext::new() else { return };
    let Ok(osc) = audio.create_oscillator() else { return };
    osc.frequency().set_value(880.0);
    if osc.connect_with_audio_node(&audio.destination()).is_ok() && osc.start().is_ok() {
        let _ = osc.stop_with_when(audio.current_time() + 0.15);
    }
}

#[component]
pub fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let live = expect_context::<Live>();
    let board = expect_context::<BoardState>();
    let session = expect_context::<Session>();
    let api = crate::services::api::use_api();
    let toasts = RwSignal::new(Vec::<(u64, Notice)>::new());
    let next = StoredValue::new(0u64);
    let seen = StoredValue::new(live.last_seq());
    // What was told, by kind and call: one call's end can come twice (from the
    // edge's own status change, then from the hub seeing it upstream).
    let told = StoredValue::new(Vec::<String>::new());
    let sound = RwSignal::new(local().and_then(|s| s.get_item(SOUND_KEY).ok().flatten()).as_deref() != Some("off"));
    let allowed = RwSignal::new(permission());

    let tell = move |n: Notice| {
        let (title, body) = notice_text(i18n.strings(), &n);
        crate::services::embed::post(BoardEvent::Notice { kind: n.kind.as_str().to_owned(), case_id: n.case_id.clone(), title: title.to_owned(), message: body.clone() });
        let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
        if hidden && permission() == NotificationPermission::Granted {
            let options = web_sys::NotificationOptions::new();
            options.set_body(&body);
            let _ = web_sys::Notification::new_with_options(title, &options);
        }
        if sound.get_untracked() {
            tone();
        }
        let id = next.get_value();
        next.set_value(id + 1);
        toasts.update(|t| t.push((id, n)));
        set_timeout(move || toasts.update(|t| t.retain(|(i, _)| *i != id)), std::time::Duration::from_millis(SHOWN_MS));
    };
    crate::effect(move || {
        live.version.track();
        let me = session.user_untracked();
        for e in live.since(seen.get_value()) {
            seen.set_value(e.seq);
            if let Some(n) = board.records.with_untracked(|r| notice_for(&e, record_for(&e, r), &me)) {
                let key = format!("{}:{}", n.kind.as_str(), e.job_id.as_deref().unwrap_or(&n.case_id));
                if !told.with_value(|t| t.contains(&key)) {
                    told.update_value(|t| t.push(key));
                    tell(n);
                }
            }
        }
    });
    // New entries in the queue I see (the first read is what was there already).
    let attention = expect_context::<crate::services::attention::Attention>();
    // Every id seen, sorted and once (not a list growing by the queue at each read).
    let known = StoredValue::new(None::<Vec<i64>>);
    crate::effect(move || {
        attention.open.with(|list| {
            let Some(list) = list else { return };
            let first = known.with_value(|k| k.is_none());
            if !first {
                let told = known.with_value(|k| board.records.with_untracked(|r| attention_notices(k.as_deref().unwrap_or_default(), &list.entries, r)));
                for n in told {
                    tell(n);
                }
            }
            known.update_value(|k| {
                let k = k.get_or_insert_with(Vec::new);
                k.extend(list.entries.iter().map(|e| e.id));
                k.sort_unstable();
                k.dedup();
            });
        });
    });
    // Once the board has loaded: my reminders due today or before.
    let asked = StoredValue::new(false);
    crate::effect(move || {
        if board.load.get() != crate::services::board_data::Load::Ready || asked.get_value() {
            return;
        }
        asked.set_value(true);
        leptos::task::spawn_local(async move {
            if let Ok(due) = api.get::<shared::wire::followup::Reminders>("/api/reminders").await {
                let me = session.user_untracked();
                for n in board.records.with_untracked(|r| reminder_notices(&due.reminders, r, &me)) {
                    tell(n);
                }
            }
        });
    });
    let dismiss = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = crate::widgets::markup::clicked(&ev, NOTICE_CLOSE.selector).and_then(|b| b.get_attribute(NOTICE_CLOSE.attr)?.parse::<u64>().ok()) {
            toasts.update(|t| t.retain(|(i, _)| *i != id));
        }
    };
    let ask = move |_| {
        if let Ok(promise) = web_sys::Notification::request_permission() {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                allowed.set(permission());
            });
        }
    };
    let toggle_sound = move |_| {
        let on = !sound.get_untracked();
        sound.set(on);
        if let Some(s) = local() {
            let _ = s.set_item(SOUND_KEY, if on { "on" } else { "off" });
        }
    };
    view! {
        <div class="notice-settings">
            {move || match allowed.get() {
                NotificationPermission::Default => view! { <button type="button" class="btn ghost small" id="notice-desktop" on:click=ask>{tr!(i18n, notice.desktop)}</button> }.into_any(),
                NotificationPermission::Granted => view! { <span class="muted small">{tr!(i18n, notice.desktop_on)}</span> }.into_any(),
                _ => view! { <span class="muted small">{tr!(i18n, notice.desktop_blocked)}</span> }.into_any(),
            }}
            <button type="button" class="btn ghost small" id="notice-sound" aria-pressed=move || sound.get().to_string() on:click=toggle_sound>{tr!(i18n, notice.sound)}</button>
        </div>
        <div id="toasts" class="toasts" on:click=dismiss inner_html=move || toasts.with(|t| toasts_html(ctx(i18n), t))></div>
    }
}
