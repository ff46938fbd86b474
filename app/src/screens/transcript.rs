//! One call: robot and party turns as a conversation with times, robot
//! scripts rendered as markdown, the recording in a player (click a turn to
//! seek to it; the turn being played is highlighted), and the note agent's
//! results beside it, arriving live.

use leptos::prelude::*;
use shared::wire::api::{CallView, ConversationsResponse, EventKind, NotesResponse, RecordingLink};
use shared::view::render::case::{call_head_html, privacy_html};
use shared::view::render::format::datetime;
use shared::view::render::notes::{notes_html, versions_html};
use shared::view::render::search::turn_of_hash;
use shared::view::render::transcript::{turn_position, turns_html, TurnLabels};
use shared::view::render::{NOTE_HISTORY, REVEAL_BUTTON, TURN};
use wasm_bindgen::JsCast;

use crate::services::api::use_api;
use crate::i18n::*;
use crate::services::live::Live;
use crate::services::perf;

#[component]
pub fn TranscriptPage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = crate::services::nav::use_nav();
    let case_id = crate::services::nav::param(nav, shared::view::route::Page::case_id);
    let job_id = crate::services::nav::param(nav, shared::view::route::Page::job_id);
    let api = use_api();
    // Personal data in the texts comes masked; those who oversee may ask for
    // this call's original text (the edge audits each time).
    let reveal = RwSignal::new(false);
    let call = LocalResource::new(move || {
        let job = job_id.get();
        let path = if reveal.get() {
            format!("/api/conversations?jobId={job}&caseId={}&reveal=1", case_id.get_untracked())
        } else {
            format!("/api/conversations?jobId={job}")
        };
        async move {
            let r = api.get::<ConversationsResponse>(&path).await;
            r.map(|c| c.calls.into_iter().find(|c| c.job_id == job))
        }
    });
    view! {
        <section class="transcript-screen" aria-labelledby="transcript-title">
            <nav class="crumbs">
                <a href=crate::services::embed::board_href()>{tr!(i18n, back_to_board)}</a>" / "
                <a href=move || crate::services::embed::case_href(&case_id.get())>{move || case_id.get()}</a>
            </nav>
            {crate::widgets::load::loaded(call, move |found| match found {
                None => view! { <p class="empty" role="alert">{tr!(i18n, transcript.not_found)}</p> }.into_any(),
                Some(c) => view! { <CallDetail call=c reveal=reveal/> }.into_any(),
            })}
        </section>
    }
}

#[component]
pub fn CallDetail(call: CallView, reveal: RwSignal<bool>) -> impl IntoView {
    // From the data in hand to the conversation on screen.
    perf::mark("transcript-render:start");
    let i18n = use_i18n();
    let api = use_api();
    let live = expect_context::<Live>();
    let job_id = call.job_id.clone();
    let secs = call.duration_secs();
    crate::services::embed::post(shared::wire::embed::BoardEvent::TranscriptOpened { job_id: job_id.clone() });
    let masked = call.masked;
    let notes = RwSignal::new(call.notes);
    let fresh = RwSignal::new(false);

    // New note results for this call arrive live.
    let seen = StoredValue::new(live.last_seq());
    let job_for_live = job_id.clone();
    crate::effect(move || {
        live.version.track();
        let mine = live
            .since(seen.get_value())
            .into_iter()
            .inspect(|e| seen.set_value(e.seq))
            .any(|e| e.kind == EventKind::NoteStored && e.job_id.as_deref() == Some(job_for_live.as_str()));
        if mine {
            let job = job_for_live.clone();
            leptos::task::spawn_local(async move {
                if let Ok(r) = api.get::<NotesResponse>(&format!("/api/notes?jobId={job}")).await {
                    notes.set(r.notes);
                    fresh.set(true);
                }
            });
        }
    });

    // Supervisors and admins may open the earlier versions of a note record.
    let may_open_history = expect_context::<crate::services::session::Session>()
        .info
        .with_untracked(|i| i.as_ref().is_some_and(|i| i.role.sees_raw_data()));
    let history = RwSignal::new(None::<(String, Result<Vec<shared::wire::api::NoteVersion>, crate::services::api::ApiFailure>)>);
    let open_history = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = crate::widgets::markup::clicked(&ev, NOTE_HISTORY.selector) else { return };
        let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
        let (call, biz, kind) = (attr(NOTE_HISTORY.attr), attr("data-biz"), attr("data-type"));
        let enc = shared::wire::url::encode_component;
        let path = format!("/api/notes/history?callId={}&bizId={}&type={}", enc(&call), enc(&biz), enc(&kind));
        leptos::task::spawn_local(async move {
            let answer = api.get::<shared::wire::api::NoteHistory>(&path).await.map(|h| h.versions);
            history.set(Some((kind, answer)));
        });
    };

    let player = NodeRef::<leptos::html::Audio>::new();
    let (position, set_position) = signal(-1.0f64);
    let started = call.started_at.map(datetime).unwrap_or_default();
    let unreadable = call.unreadable.clone().map(|why| (why, call.raw_conversations.clone()));
    let turns = call.turns;
    let offsets = StoredValue::new(shared::view::render::transcript::offsets(&turns));
    let active = Memo::new(move |_| {
        let p = position.get();
        if p < 0.0 {
            return None;
        }
        offsets.with_value(|o| o.iter().rposition(|o| *o <= p + 0.05))
    });
    let seek = move |offset: f64| {
        if let Some(audio) = player.get_untracked() {
            audio.set_current_time(offset);
            let _ = audio.play();
            set_position.set(offset);
        }
    };
    let status = call.call_status;
    let kind = call.call_type;
    let job = job_id.clone();
    let list = NodeRef::<leptos::html::Div>::new();
    let shown = StoredValue::new(None::<usize>);
    crate::effect(move || {
        // Also after a language change, which rebuilds the turns.
        let _ = i18n.get_locale();
        let index = active.get();
        if let Some(ol) = list.get() {
            highlight(&ol, shown.get_value(), index);
            shown.set_value(index);
        }
    });
    // Opened from a search (`#turn-N`): that turn is marked, in view and focused.
    let searched = web_sys::window().and_then(|w| w.location().hash().ok()).and_then(|h| turn_of_hash(&h));
    crate::effect(move || {
        let _ = i18n.get_locale();
        if let (Some(i), Some(list)) = (searched, list.get()) {
            show_found(&list, i);
        }
    });
    perf::measure_after_paint("transcript-render", "transcript-render:start");

    view! {
        <header class="call-head" inner_html=move || call_head_html(i18n.strings(), &kind, &status, &started, secs, &job)></header>
        <div on:click=move |ev| {
            if crate::widgets::markup::clicked(&ev, REVEAL_BUTTON.selector).is_some() {
                reveal.set(true);
            }
        } inner_html=move || privacy_html(i18n.strings(), masked, may_open_history, reveal.get_untracked())></div>
        <div class="call-grid">
            <div class="conversation-col">
                <Recording path=call.recording player=player on_time=set_position/>
                {if let Some((why, raw)) = unreadable {
                    // The backend's text for this call cannot be read: say so, and
                    // show it as it came to those who may see it.
                    view! {
                        <div class="error" role="alert" id="turns-unreadable">
                            <p>{tr!(i18n, transcript.unreadable)}</p>
                            <p class="muted">{why}</p>
                            {raw.map(|raw| view! { <pre class="raw" id="raw-conversations">{raw}</pre> })}
                        </div>
                    }.into_any()
                } else if turns.is_empty() {
                    view! { <p class="empty">{tr!(i18n, transcript.empty)}</p> }.into_any()
                } else {
                    view! {
                        // One HTML string for all turns (shared::view::render::transcript escapes every
                        // piece of upstream text): far faster for a 1,000-turn call than
                        // building each node from WebAssembly. Rebuilt only when the
                        // language changes; one listener on the list handles the buttons,
                        // and one effect below moves the highlight. A list of ARIA
                        // items rather than <ol>: the turns come in blocks (see CHUNK).
                        // Every turn's button is described by the one hint.
                        <span id="seek-hint" hidden>{tr!(i18n, transcript.seek)}</span>
                        <div class="conversation" role="list" aria-label=tr!(i18n, transcript.heading) node_ref=list
                            inner_html=move || offsets.with_value(|offsets| turns_html(&turns, offsets, &TurnLabels {
                                robot: t_string!(i18n, transcript.robot),
                                party: t_string!(i18n, transcript.party),
                                begin: t_string!(i18n, transcript.begin),
                                end: t_string!(i18n, transcript.end),
                            }))
                            on:click=move |ev| {
                                if let Some(i) = clicked_turn(&ev) {
                                    if let Some(offset) = offsets.with_value(|o| o.get(i).copied()) {
                                        seek(offset);
                                    }
                                }
                            }>
                        </div>
                    }.into_any()
                }}
            </div>
            <aside class="notes-col" aria-labelledby="notes-title">
                <h2 id="notes-title">{tr!(i18n, notes.heading)}</h2>
                {move || fresh.get().then(|| view! { <p class="ok" role="status" id="notes-new">{tr!(i18n, notes.new)}</p> })}
                <div id="notes" aria-live="polite" on:click=open_history inner_html=move || notes.with(|n| notes_html(i18n.strings(), n, may_open_history))></div>
            </aside>
            // The earlier versions of a note result, once asked for (HTML, like the notes).
            <section id="note-history" class="note-history-panel" aria-live="polite" inner_html=move || history.with(|h| match h {
                Some((kind, Ok(versions))) => versions_html(i18n.strings(), kind, versions),
                Some((_, Err(e))) => shared::view::html::Html::empty(&e.to_string()),
                None => String::new(),
            })></section>
        </div>
    }
}

/// The index of the turn whose seek button was clicked (or activated by keyboard).
fn clicked_turn(ev: &web_sys::MouseEvent) -> Option<usize> {
    let button = crate::widgets::markup::clicked(ev, "button.turn-seek")?;
    let turn = button.closest(TURN.selector).ok()??;
    turn.get_attribute(TURN.attr)?.parse().ok()
}

/// Moves the "playing" highlight (class and `aria-current`) from turn `from`
/// to turn `to`, directly on the list's elements (turn `i` is at
/// `turn_position(i)` in the blocks), so nothing is searched.
pub fn highlight(list: &web_sys::HtmlElement, from: Option<usize>, to: Option<usize>) {
    let item = |i: usize| {
        let (block, place) = turn_position(i);
        list.children().item(block as u32)?.children().item(place as u32)
    };
    if let Some(turn) = from.and_then(item) {
        let _ = turn.class_list().remove_1("playing");
        let _ = turn.remove_attribute("aria-current");
    }
    if let Some(turn) = to.and_then(item) {
        let _ = turn.class_list().add_1("playing");
        let _ = turn.set_attribute("aria-current", "true");
    }
}

/// Marks turn `i` as the one searched for, scrolls it into view and focuses its button.
fn show_found(list: &web_sys::HtmlElement, i: usize) {
    let (block, place) = turn_position(i);
    let Some(turn) = list.children().item(block as u32).and_then(|b| b.children().item(place as u32)) else { return };
    let _ = turn.class_list().add_1("found");
    // The screen arrives with its own module (screens::on_demand): its nodes
    // may not be in the document yet, where nothing can scroll or take focus.
    when_connected(turn, 60, |turn| {
        turn.scroll_into_view();
        if let Some(button) = turn.first_element_child().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = button.focus();
        }
    });
}

/// Runs `f` on `el` once it is in the document, checking each frame (at most `frames`).
fn when_connected(el: web_sys::Element, frames: u32, f: fn(&web_sys::Element)) {
    if el.is_connected() {
        f(&el);
    } else if frames > 0 {
        request_animation_frame(move || when_connected(el, frames - 1, f));
    }
}

/// The recording, streamed by the player through a short-lived signed link
/// from the edge (so a long call plays before it has downloaded, and seeking
/// fetches only what it needs). A link that has expired is replaced.
#[component]
fn Recording(path: Option<String>, player: NodeRef<leptos::html::Audio>, on_time: WriteSignal<f64>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let Some(path) = path else {
        return view! { <p class="muted">{tr!(i18n, transcript.no_recording)}</p> }.into_any();
    };
    let link = LocalResource::new(move || {
        let path = format!("{path}/link");
        async move { api.get::<RecordingLink>(&path).await.map(|l| l.url) }
    });
    // Where to resume after a new link replaced an expired one.
    let resume_at = StoredValue::new(None::<f64>);
    let failed = RwSignal::new(false);
    view! {
        <div class="player">
            <h3>{tr!(i18n, transcript.recording)}</h3>
            // Loading, then the answer or the error.
            {move || match link.get() {
                None => view! { <p role="status">{tr!(i18n, transcript.loading_recording)}</p> }.into_any(),
                Some(Ok(url)) => view! {
                    <audio controls preload="metadata" src=url node_ref=player
                        aria-label=tr!(i18n, transcript.recording)
                        on:timeupdate=move |ev| {
                            let audio: web_sys::HtmlMediaElement = event_target(&ev);
                            on_time.set(audio.current_time());
                        }
                        on:loadedmetadata=move |ev| {
                            if let Some(at) = resume_at.get_value() {
                                let audio: web_sys::HtmlMediaElement = event_target(&ev);
                                audio.set_current_time(at);
                                resume_at.set_value(None);
                            }
                        }
                        on:error=move |ev| {
                            let audio: web_sys::HtmlMediaElement = event_target(&ev);
                            if resume_at.get_value().is_none() {
                                resume_at.set_value(Some(audio.current_time()));
                                link.refetch();
                            } else {
                                // A fresh link did not play either.
                                failed.set(true);
                            }
                        }></audio>
                    <Show when=move || failed.get()>
                        <div class="error" role="alert">
                            <p>{tr!(i18n, transcript.recording_error)}</p>
                            <button class="btn" on:click=move |_| {
                                failed.set(false);
                                resume_at.set_value(None);
                                link.refetch();
                            }>{tr!(i18n, retry)}</button>
                        </div>
                    </Show>
                }.into_any(),
                Some(Err(e)) => view! {
                    <div class="error" role="alert">
                        <p>{tr!(i18n, transcript.recording_error)}": "{e.to_string()}</p>
                        <button class="btn" on:click=move |_| link.refetch()>{tr!(i18n, retry)}</button>
                    </div>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}
