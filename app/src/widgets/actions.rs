//! The mediator's actions on a case, each with progress, a confirmation where
//! it matters, and a readable result or error with a way to retry.
//!
//! Every action goes through the same pieces: one [`Progress`] type, one
//! [`perform`] that runs the request, and one [`Outcome`] view for the
//! working / done / failed states; each action keeps its own result. (One
//! set of pieces instead of one per action keeps the bundle small.)

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use shared::wire::api::{ErrorCode, NoBody};
use shared::wire::embed::ActionDetail;
use shared::wire::api::{OcrOutcome, PlacedCalls, StatusCheck, TakeoverOutcome};
use shared::view::render::actions::{agreement_with_actions_html, call_outcomes_html, ocr_html, status_options_html};
use shared::view::render::DOC_BUTTON;
use shared::view::render::format::status_label;
use shared::wire::followup::{AgreementView, NewCaseNote};
use shared::wire::mediation::{BoardRecord, CallMode, CallRequest, CallStatus, OcrState};

use crate::services::api::{new_key, use_api, ApiFailure};
use crate::services::board_data::BoardState;
use crate::widgets::dialog::Dialog;
use crate::i18n::*;

/// Where an action stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    Idle,
    Working,
    Done,
    Failed(ApiFailure),
}

/// A request that stores its own result and answers with what the embedding
/// portal hears of a success.
type Request = Pin<Box<dyn Future<Output = Result<ActionDetail, ApiFailure>>>>;

/// Runs one action's request: shows it as working, records how it ended,
/// tells the embedding portal (if any) under `notify` = (action, case id),
/// and runs `then` after a success.
fn perform(progress: RwSignal<Progress>, notify: Option<(&'static str, String)>, request: Request, then: Box<dyn FnOnce()>) {
    progress.set(Progress::Working);
    leptos::task::spawn_local(async move {
        let outcome = request.await;
        if let Some((action, case_id)) = &notify {
            match &outcome {
                Ok(detail) => crate::services::embed::notify_action(action, case_id, true, detail.clone()),
                Err(e) => crate::services::embed::notify_action(action, case_id, false, ActionDetail::Failed { message: e.message.clone() }),
            }
        }
        match outcome {
            Ok(_) => {
                progress.set(Progress::Done);
                then();
            }
            Err(e) => progress.set(Progress::Failed(e)),
        }
    });
}

/// What an action's dialog shows as it runs: `idle` before (a submit button,
/// a question), then progress, then `done` or the error with a retry, or,
/// when the edge cannot know whether the action happened, `unknown` (no
/// retry: it could do the action twice).
#[component]
fn Outcome(
    progress: RwSignal<Progress>,
    #[prop(optional, into)] idle: Option<ViewFn>,
    #[prop(into)] done: ViewFn,
    #[prop(optional, into)] unknown: Option<ViewFn>,
    retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match (progress.get(), &idle) {
        (Progress::Idle, Some(idle)) => idle.run(),
        (Progress::Idle | Progress::Working, _) => view! { <p role="status" aria-busy="true">{tr!(i18n, action.working)}</p> }.into_any(),
        (Progress::Done, _) => done.run(),
        (Progress::Failed(e), _) if e.code == ErrorCode::OutcomeUnknown && unknown.is_some() => unknown.as_ref().map(|u| u.run()).unwrap_or_else(|| ().into_any()),
        (Progress::Failed(e), _) => view! {
            <div class="error" role="alert">
                <p>{tr!(i18n, action.failed)}" "{e.message}</p>
                <button type="button" class="btn" on:click=move |_| retry.run(())>{tr!(i18n, retry)}</button>
            </div>
        }
        .into_any(),
    }
}

/// The submit button of a dialog's form.
fn submit_button(label: Signal<&'static str>) -> ViewFn {
    ViewFn::from(move || view! { <div class="dialog-actions"><button type="submit" class="btn primary">{label}</button></div> })
}

/// Place an AI call: choose parties and dialling mode, then see each party's outcome.
#[component]
pub fn CallAction(record: Memo<Option<BoardRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = expect_context::<BoardState>();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::Idle);
    let result = RwSignal::new(None::<PlacedCalls>);
    let chosen = RwSignal::new(Vec::<String>::new());
    let manual = RwSignal::new(false);
    let key = StoredValue::new(new_key());
    let missing = RwSignal::new(false);
    // The case as it was when the dialog opened.
    let snapshot = RwSignal::new(None::<BoardRecord>);
    let open_dialog = move || {
        let r = record.get_untracked();
        let default_party = r.as_ref().and_then(|r| r.call_person_id.clone().or_else(|| r.parties.first().map(|p| p.person_id.clone())));
        chosen.set(default_party.into_iter().collect());
        snapshot.set(r);
        open.set(true);
    };

    let submit = move || {
        let parties = chosen.get_untracked();
        if parties.is_empty() {
            missing.set(true);
            return;
        }
        missing.set(false);
        let Some(r) = snapshot.get_untracked() else { return };
        let request = CallRequest {
            case_id: r.case_id.clone(),
            mediation_id: r.mediation_id.to_string(),
            call_auto: if manual.get_untracked() { CallMode::Manual } else { CallMode::Automatic },
            call_person_id: parties.join(","),
        };
        let key = key.get_value();
        let case_id = request.case_id.clone();
        let run = async move {
            let res = api.post_once::<PlacedCalls, _>("/api/calls", &request, &key, None).await?;
            let detail = ActionDetail::CallPlaced(res.results.clone());
            result.set(Some(res));
            Ok(detail)
        };
        perform(progress, Some(("call_placed", case_id)), Box::pin(run), Box::new(move || board.reload()));
    };
    let close = Callback::new(move |_| {
        open.set(false);
        progress.set(Progress::Idle);
        key.set_value(new_key());
    });

    view! {
        <button type="button" class="btn primary" id="action-call" on:click=move |_| open_dialog()
            disabled=move || record.with(|r| r.as_ref().is_none_or(|r| r.takeover_user.is_some()))>
            {tr!(i18n, action.call)}
        </button>
        <Show when=move || open.get()>
            <Dialog title=tr!(i18n, action.call_heading) on_close=close>
                <form class="call-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    <fieldset>
                        <legend>{tr!(i18n, action.call_parties)}</legend>
                        {snapshot.get_untracked().map(|r| r.parties).unwrap_or_default().into_iter().map(|p| {
                            let id = p.person_id.clone();
                            let id2 = p.person_id.clone();
                            let role = if p.person_type == 0 { t_string!(i18n, case.applicant) } else { t_string!(i18n, case.respondent) };
                            view! {
                                <label class="check">
                                    <input type="checkbox" name="party" value=id.clone()
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| { c.retain(|x| x != &id2); if on { c.push(id2.clone()); } });
                                        }/>
                                    <span>{format!("{} · {role} · {}", p.name, p.phone_number)}</span>
                                </label>
                            }
                        }).collect_view()}
                        {move || missing.get().then(|| view! { <p class="error" role="alert">{tr!(i18n, action.call_pick_party)}</p> })}
                    </fieldset>
                    <fieldset>
                        <legend>{tr!(i18n, action.call_mode)}</legend>
                        <label class="check"><input type="radio" name="mode" prop:checked=move || !manual.get() on:change=move |_| manual.set(false)/>
                            <span>{tr!(i18n, action.call_auto)}</span></label>
                        <label class="check"><input type="radio" name="mode" prop:checked=move || manual.get() on:change=move |_| manual.set(true)/>
                            <span>{tr!(i18n, action.call_manual)}</span></label>
                    </fieldset>
                    <Outcome progress=progress idle=submit_button(tr!(i18n, action.call_submit)) retry=Callback::new(move |_| submit())
                        unknown=move || view! { <OutcomeUnknown progress=progress case_id=snapshot.with_untracked(|s| s.as_ref().map(|s| s.case_id.clone()).unwrap_or_default())/> }
                        done=move || view! {
                            <div inner_html=move || result.with(|r| snapshot.with(|s| match (r, s) {
                                (Some(r), Some(s)) => call_outcomes_html(i18n.strings(), s, r),
                                _ => String::new(),
                            }))></div>
                        }/>
                </form>
            </Dialog>
        </Show>
    }
}

/// A call that may or may not have been placed: the edge's explanation, and a
/// way to ask the backend where the case's latest call stands instead of
/// placing a second one.
#[component]
fn OutcomeUnknown(progress: RwSignal<Progress>, case_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    // What the check said, as text (empty before it; a status line after).
    let checked = RwSignal::new(String::new());
    let case_id = StoredValue::new(case_id);
    let check = move |_| {
        checked.set(t_string!(i18n, action.working).to_owned());
        let path = format!("/api/calls/status?caseRef={}", case_id.get_value());
        leptos::task::spawn_local(async move {
            checked.set(match api.get::<StatusCheck>(&path).await {
                Ok(info) => format!("{} · {} · {}", status_label(i18n.strings(), Some(&info.call_status)), info.job_id, info.fetch_time),
                Err(e) => e.to_string(),
            });
        });
    };
    let message = move || match progress.get() {
        Progress::Failed(e) => e.message,
        _ => String::new(),
    };
    view! {
        <div class="warn" role="alert" id="call-outcome-unknown">
            <p><b>{tr!(i18n, action.outcome_unknown)}</b></p>
            <p>{message}</p>
            <button type="button" class="btn" id="check-call-status" on:click=check>{tr!(i18n, action.check_status)}</button>
            <p role="status" id="checked-status">{move || checked.get()}</p>
        </div>
    }
}


/// Take the case over from the AI (after confirming).
#[component]
pub fn TakeoverAction(record: Memo<Option<BoardRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = expect_context::<BoardState>();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::Idle);
    let result = RwSignal::new(None::<TakeoverOutcome>);
    let case_id = Memo::new(move |_| record.with(|r| r.as_ref().map(|r| r.case_id.clone()).unwrap_or_default()));
    let holder = Memo::new(move |_| record.with(|r| r.as_ref().and_then(|r| r.takeover_user.clone())));

    let submit = move || {
        let id = case_id.get_untracked();
        let path = format!("/api/cases/{id}/takeover");
        let run = async move {
            let r = api.post::<TakeoverOutcome, _>(&path, &NoBody).await?;
            let detail = ActionDetail::Takeover { user_name: r.user_name.clone() };
            result.set(Some(r));
            Ok(detail)
        };
        perform(progress, Some(("takeover", id)), Box::pin(run), Box::new(move || board.reload()));
    };
    let close = Callback::new(move |_| {
        open.set(false);
        progress.set(Progress::Idle);
    });
    view! {
        <button type="button" class="btn" id="action-takeover" disabled=move || holder.with(|h| h.is_some()) on:click=move |_| open.set(true)>
            {move || match holder.get() {
                Some(user) => t!(i18n, case.taken_by, user = user).into_any(),
                None => tr!(i18n, action.takeover).into_any(),
            }}
        </button>
        <Show when=move || open.get()>
            <Dialog title=tr!(i18n, action.takeover) on_close=close>
                <Outcome progress=progress retry=Callback::new(move |_| submit())
                    idle=move || view! {
                        <p>{tr!(i18n, action.takeover_confirm)}</p>
                        <div class="dialog-actions">
                            <button type="button" class="btn" on:click=move |_| close.run(())>{tr!(i18n, cancel)}</button>
                            <button type="button" class="btn primary" id="confirm-takeover" on:click=move |_| submit()>{tr!(i18n, confirm)}</button>
                        </div>
                    }
                    done=move || view! {
                        <p class="ok" role="status">{tr!(i18n, action.takeover_done)}
                            {result.get_untracked().map(|r| format!(" · {} · {}", r.user_name, r.takeover_time))}</p>
                        <div class="dialog-actions"><button type="button" class="btn" on:click=move |_| close.run(())>{tr!(i18n, close)}</button></div>
                    }/>
            </Dialog>
        </Show>
    }
}

/// What the agreement and OCR actions make. One component serves both:
/// the two dialogs built separately cost 9 KB of the bundle (gzipped).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Produce {
    /// Generate the agreement, then view, copy or print it.
    Agreement,
    /// Run OCR on the case files and follow it until every file is done.
    Ocr,
}

#[derive(Clone)]
pub enum Produced {
    Agreement(AgreementView),
    Ocr(OcrOutcome),
}

#[component]
pub fn ProduceAction(case_id: String, what: Produce) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::Idle);
    let result = RwSignal::new(None::<Produced>);
    let copied = RwSignal::new(false);
    // The suggested reminders added to the case's follow-ups (their indexes).
    let added = RwSignal::new(Vec::<usize>::new());
    let notes_changed = use_context::<crate::widgets::followups::NotesChanged>();
    let case_id = StoredValue::new(case_id);
    let agreement = what == Produce::Agreement;
    let submit = move || {
        open.set(true);
        let id = case_id.get_value();
        let poll_id = id.clone();
        let path = format!("/api/cases/{id}/{}", if agreement { "agreement" } else { "ocr" });
        let run = async move {
            let (detail, made) = if agreement {
                let a = api.post::<AgreementView, _>(&path, &NoBody).await?;
                (ActionDetail::Agreement { agree_id: a.agree_id.clone() }, Produced::Agreement(a))
            } else {
                let r = api.post::<OcrOutcome, _>(&path, &NoBody).await?;
                (ActionDetail::Ocr { files: r.files.len() }, Produced::Ocr(r))
            };
            result.set(Some(made));
            Ok(detail)
        };
        let then = move || {
            if result.with_untracked(|r| matches!(r, Some(Produced::Ocr(r)) if r.status == Some(OcrState::Processing))) {
                poll_again(api, poll_id, open, result);
            }
        };
        perform(progress, Some((if agreement { "agreement_generated" } else { "ocr_started" }, id)), Box::pin(run), Box::new(then));
    };
    let close = Callback::new(move |_| {
        open.set(false);
        copied.set(false);
        added.set(vec![]);
        progress.set(Progress::Idle);
    });
    // The agreement's copy, print and add-reminder buttons (one listener).
    let act = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = crate::widgets::markup::clicked(&ev, DOC_BUTTON.selector) else { return };
        let Some(w) = web_sys::window() else { return };
        let what = button.get_attribute(DOC_BUTTON.attr).unwrap_or_default();
        if what == "print" {
            let _ = w.print();
            return;
        }
        if let Some(i) = what.strip_prefix("remind:").and_then(|i| i.parse::<usize>().ok()) {
            let Some(s) = result.with_untracked(|r| match r {
                Some(Produced::Agreement(a)) => a.suggested_reminders.get(i).cloned(),
                _ => None,
            }) else { return };
            let path = format!("/api/cases/{}/notes", case_id.get_value());
            let note = NewCaseNote { text: s.text, due_date: Some(s.due_date) };
            leptos::task::spawn_local(async move {
                if api.post::<serde::de::IgnoredAny, _>(&path, &note).await.is_ok() {
                    added.update(|a| a.push(i));
                    if let Some(changed) = notes_changed {
                        changed.0.update(|n| *n += 1);
                    }
                }
            });
            return;
        }
        let text = result.with_untracked(|r| match r {
            Some(Produced::Agreement(a)) => a.agree_content.clone(),
            _ => String::new(),
        });
        let _ = w.navigator().clipboard().write_text(&text);
        copied.set(true);
    };
    let heading = Signal::derive(move || if agreement { t_string!(i18n, action.agreement_heading) } else { t_string!(i18n, action.ocr_heading) });
    view! {
        <button type="button" class="btn" id=if agreement { "action-agreement" } else { "action-ocr" } on:click=move |_| submit()>
            {move || if agreement { t_string!(i18n, action.agreement) } else { t_string!(i18n, action.ocr) }}
        </button>
        <Show when=move || open.get()>
            <Dialog title=heading on_close=close>
                <Outcome progress=progress retry=Callback::new(move |_| submit())
                    done=move || view! {
                        <div on:click=act inner_html=move || result.with(|r| match r {
                            Some(Produced::Agreement(a)) => added.with(|added| agreement_with_actions_html(i18n.strings(), a, copied.get(), added)),
                            Some(Produced::Ocr(o)) => ocr_html(i18n.strings(), o),
                            None => String::new(),
                        })></div>
                    }/>
            </Dialog>
        </Show>
    }
}

fn poll_again(api: crate::services::api::Api, id: String, open: RwSignal<bool>, result: RwSignal<Option<Produced>>) {
    set_timeout(
        move || {
            if !open.get_untracked() {
                return;
            }
            leptos::task::spawn_local(async move {
                if let Ok(r) = api.get::<OcrOutcome>(&format!("/api/cases/{id}/ocr")).await {
                    let processing = r.status == Some(OcrState::Processing);
                    result.set(Some(Produced::Ocr(r)));
                    if processing {
                        poll_again(api, id, open, result);
                    }
                }
            });
        },
        std::time::Duration::from_millis(1500),
    );
}


/// Change a call's status (after choosing the new one).
#[component]
pub fn UpdateStatusAction(target: RwSignal<Option<(String, CallStatus)>>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let progress = RwSignal::new(Progress::Idle);
    let choice = RwSignal::new(String::new());
    let job = StoredValue::new(String::new());
    crate::effect(move || {
        if let Some((j, current)) = target.get() {
            job.set_value(j);
            // What the list shows is what is sent: the current status, or
            // the first choice when the current one cannot be set by hand.
            let current = if SETTABLE.contains(&current) { current } else { SETTABLE[0].clone() };
            choice.set(current.to_string());
            progress.set(Progress::Idle);
        }
    });
    let submit = move || {
        let job = job.get_value();
        let status = CallStatus::parse(&choice.get_untracked());
        let run = async move {
            api.post::<serde::de::IgnoredAny, _>(&format!("/api/calls/{job}/status"), &shared::wire::api::StatusChange { call_status: status }).await?;
            // The portal hears of the four case actions only (`perform` gets no `notify`).
            Ok(ActionDetail::Failed { message: String::new() })
        };
        // The portal hears of the four case actions, not of status changes.
        perform(progress, None, Box::pin(run), Box::new(move || on_done.run(())));
    };
    let close = Callback::new(move |_| {
        target.set(None);
        progress.set(Progress::Idle);
    });
    view! {
        <Show when=move || target.with(|t| t.is_some())>
            <Dialog title=tr!(i18n, action.update_status_heading) on_close=close>
                <form on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    <label class="field">
                        <span>{tr!(i18n, action.new_status)}</span>
                        <select id="new-status" on:change=move |ev| choice.set(event_target_value(&ev))
                            inner_html=move || status_options_html(i18n.strings(), &SETTABLE, &choice.get())>
                        </select>
                    </label>
                    <Outcome progress=progress idle=submit_button(tr!(i18n, action.update_status_submit)) retry=Callback::new(move |_| submit())
                        done=move || view! { <p class="ok" role="status">{tr!(i18n, action.updated)}</p> }/>
                </form>
            </Dialog>
        </Show>
    }
}

/// The statuses a mediator can set.
const SETTABLE: [CallStatus; 8] = [
    CallStatus::Succeeded,
    CallStatus::Cancelled,
    CallStatus::Paused,
    CallStatus::Failed,
    CallStatus::NoAnswer,
    CallStatus::Busy,
    CallStatus::PoweredOff,
    CallStatus::Terminated,
];

