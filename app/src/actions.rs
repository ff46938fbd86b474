//! The mediator's actions on a case, each with progress, a confirmation where
//! it matters, and a readable result or error with a way to retry.

use leptos::prelude::*;
use shared::api::PlaceCallResponse;
use shared::mediation::{AgreementResult, BoardRecord, CallErrorCode, CallMode, CallRequest, CallStatus, OcrResult, OcrState, TakeoverResult};

use crate::api::{new_key, use_api, ApiFailure};
use crate::board::BoardState;
use crate::dialog::Dialog;
use crate::format::status_label;
use crate::i18n::*;
use crate::markdown::Markdown;

/// Where an action stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress<T> {
    Idle,
    Working,
    Done(T),
    Failed(ApiFailure),
}

/// Runs one action's request: shows it as working, records the outcome, and
/// tells the embedding portal (if any) how it ended. `detail` picks what the
/// portal hears of a success; `then` runs after a success is shown.
fn perform<T: Clone + Send + Sync + 'static>(
    progress: RwSignal<Progress<T>>,
    action: &'static str,
    case_id: String,
    request: impl std::future::Future<Output = Result<T, ApiFailure>> + 'static,
    detail: impl FnOnce(&T) -> serde_json::Value + 'static,
    then: impl FnOnce(&T) + 'static,
) {
    progress.set(Progress::Working);
    leptos::task::spawn_local(async move {
        match request.await {
            Ok(value) => {
                crate::embed::notify_action(action, &case_id, true, detail(&value));
                progress.set(Progress::Done(value.clone()));
                then(&value);
            }
            Err(e) => {
                crate::embed::notify_action(action, &case_id, false, serde_json::json!({ "message": e.message }));
                progress.set(Progress::Failed(e));
            }
        }
    });
}

#[component]
fn Failure(error: ApiFailure, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error" role="alert">
            <p>{tr!(i18n, action.failed)}" "{error.message.clone()}</p>
            <button type="button" class="btn" on:click=move |_| retry.run(())>{tr!(i18n, retry)}</button>
        </div>
    }
}

/// Place an AI call: choose parties and dialling mode, then see each party's outcome.
#[component]
pub fn CallAction(record: Memo<Option<BoardRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = expect_context::<BoardState>();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::<PlaceCallResponse>::Idle);
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
        perform(
            progress,
            "call_placed",
            case_id,
            async move { api.post_once::<PlaceCallResponse, _>("/api/calls", &request, &key).await },
            |res| serde_json::to_value(&res.results).unwrap_or_default(),
            move |_| board.reload(),
        );
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
                                    <span>{p.name.clone()}" · "{role}" · "{p.phone_number.clone()}</span>
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
                    {move || match progress.get() {
                        Progress::Idle => view! {
                            <div class="dialog-actions">
                                <button type="submit" class="btn primary">{tr!(i18n, action.call_submit)}</button>
                            </div>
                        }.into_any(),
                        Progress::Working => view! { <p role="status" aria-busy="true">{tr!(i18n, action.working)}</p> }.into_any(),
                        Progress::Done(res) => view! { <CallOutcomes record=snapshot.get_untracked().expect("set on open") results=res/> }.into_any(),
                        Progress::Failed(e) => view! { <Failure error=e retry=Callback::new(move |_| submit())/> }.into_any(),
                    }}
                </form>
            </Dialog>
        </Show>
    }
}

#[component]
fn CallOutcomes(record: BoardRecord, results: PlaceCallResponse) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="outcomes" role="status">
            {results.results.into_iter().map(|r| {
                let name = record.parties.iter().find(|p| p.person_id == r.person_id).map(|p| p.name.clone()).unwrap_or(r.person_id.clone());
                let (class, label) = match r.error_code {
                    CallErrorCode::Started => ("ok", t_string!(i18n, action.outcome_started)),
                    CallErrorCode::MustWait => ("warn", t_string!(i18n, action.outcome_wait)),
                    CallErrorCode::LimitReached => ("warn", t_string!(i18n, action.outcome_limit)),
                    CallErrorCode::Other(_) => ("bad", t_string!(i18n, action.outcome_other)),
                };
                view! {
                    <li class=format!("outcome {class}") data-person=r.person_id.clone()>
                        <b>{name}</b>": "{label.to_string()}" — "{r.message.clone()}
                        {r.start_time.clone().map(|t| view! { <small>" ("{t}")"</small> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Take the case over from the AI (after confirming).
#[component]
pub fn TakeoverAction(record: Memo<Option<BoardRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = expect_context::<BoardState>();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::<TakeoverResult>::Idle);
    let case_id = Memo::new(move |_| record.with(|r| r.as_ref().map(|r| r.case_id.clone()).unwrap_or_default()));
    let holder = Memo::new(move |_| record.with(|r| r.as_ref().and_then(|r| r.takeover_user.clone())));

    let submit = move || {
        let id = case_id.get_untracked();
        let path = format!("/api/cases/{id}/takeover");
        perform(
            progress,
            "takeover",
            id,
            async move { api.post::<TakeoverResult, _>(&path, &serde_json::json!({})).await },
            |r| serde_json::json!({ "userName": r.user_name }),
            move |_| board.reload(),
        );
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
                {move || match progress.get() {
                    Progress::Idle => view! {
                        <p>{tr!(i18n, action.takeover_confirm)}</p>
                        <div class="dialog-actions">
                            <button type="button" class="btn" on:click=move |_| close.run(())>{tr!(i18n, cancel)}</button>
                            <button type="button" class="btn primary" id="confirm-takeover" on:click=move |_| submit()>{tr!(i18n, confirm)}</button>
                        </div>
                    }.into_any(),
                    Progress::Working => view! { <p role="status" aria-busy="true">{tr!(i18n, action.working)}</p> }.into_any(),
                    Progress::Done(r) => view! {
                        <p class="ok" role="status">{tr!(i18n, action.takeover_done)}" · "{r.user_name}" · "{r.takeover_time}</p>
                        <div class="dialog-actions"><button type="button" class="btn" on:click=move |_| close.run(())>{tr!(i18n, close)}</button></div>
                    }.into_any(),
                    Progress::Failed(e) => view! { <Failure error=e retry=Callback::new(move |_| submit())/> }.into_any(),
                }}
            </Dialog>
        </Show>
    }
}

/// Generate the agreement, then view, copy or print it.
#[component]
pub fn AgreementAction(case_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::<AgreementResult>::Idle);
    let copied = RwSignal::new(false);
    let case_id = StoredValue::new(case_id);
    let submit = move || {
        open.set(true);
        let id = case_id.get_value();
        let path = format!("/api/cases/{id}/agreement");
        perform(
            progress,
            "agreement_generated",
            id,
            async move { api.post::<AgreementResult, _>(&path, &serde_json::json!({})).await },
            |a| serde_json::json!({ "agreeId": a.agree_id }),
            |_| {},
        );
    };
    let close = Callback::new(move |_| {
        open.set(false);
        copied.set(false);
        progress.set(Progress::Idle);
    });
    view! {
        <button type="button" class="btn" id="action-agreement" on:click=move |_| submit()>{tr!(i18n, action.agreement)}</button>
        <Show when=move || open.get()>
            <Dialog title=tr!(i18n, action.agreement_heading) on_close=close>
                {move || match progress.get() {
                    Progress::Idle | Progress::Working => view! { <p role="status" aria-busy="true">{tr!(i18n, action.working)}</p> }.into_any(),
                    Progress::Done(a) => {
                        let text = a.agree_content.clone();
                        view! {
                            <p class="muted">{a.agree_id.clone()}</p>
                            <article class="agreement printable"><Markdown text=a.agree_content.clone()/></article>
                            <div class="dialog-actions">
                                <button type="button" class="btn" on:click=move |_| {
                                    if let Some(c) = web_sys::window().map(|w| w.navigator().clipboard()) {
                                        let _ = c.write_text(&text);
                                        copied.set(true);
                                    }
                                }>{move || if copied.get() { t_string!(i18n, action.copied) } else { t_string!(i18n, action.copy) }}</button>
                                <button type="button" class="btn" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{tr!(i18n, action.print)}</button>
                            </div>
                        }.into_any()
                    }
                    Progress::Failed(e) => view! { <Failure error=e retry=Callback::new(move |_| submit())/> }.into_any(),
                }}
            </Dialog>
        </Show>
    }
}

/// Run OCR on the case files and follow it until every file is done.
#[component]
pub fn OcrAction(case_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let open = RwSignal::new(false);
    let progress = RwSignal::new(Progress::<OcrResult>::Idle);
    let case_id = StoredValue::new(case_id);
    let submit = move || {
        open.set(true);
        let id = case_id.get_value();
        let path = format!("/api/cases/{id}/ocr");
        let poll_id = id.clone();
        perform(
            progress,
            "ocr_started",
            id,
            async move { api.post::<OcrResult, _>(&path, &serde_json::json!({})).await },
            |r| serde_json::json!({ "files": r.files.len() }),
            move |r| {
                if r.status == OcrState::Processing {
                    poll_again(api, poll_id, open, progress);
                }
            },
        );
    };
    let close = Callback::new(move |_| {
        open.set(false);
        progress.set(Progress::Idle);
    });
    view! {
        <button type="button" class="btn" id="action-ocr" on:click=move |_| submit()>{tr!(i18n, action.ocr)}</button>
        <Show when=move || open.get()>
            <Dialog title=tr!(i18n, action.ocr_heading) on_close=close>
                {move || match progress.get() {
                    Progress::Idle | Progress::Working => view! { <p role="status" aria-busy="true">{tr!(i18n, action.working)}</p> }.into_any(),
                    Progress::Done(r) => view! { <OcrFiles result=r/> }.into_any(),
                    Progress::Failed(e) => view! { <Failure error=e retry=Callback::new(move |_| submit())/> }.into_any(),
                }}
            </Dialog>
        </Show>
    }
}

fn poll_again(api: crate::api::Api, id: String, open: RwSignal<bool>, progress: RwSignal<Progress<OcrResult>>) {
    set_timeout(
        move || {
            if !open.get_untracked() {
                return;
            }
            leptos::task::spawn_local(async move {
                if let Ok(r) = api.get::<OcrResult>(&format!("/api/cases/{id}/ocr")).await {
                    let processing = r.status == OcrState::Processing;
                    progress.set(Progress::Done(r));
                    if processing {
                        poll_again(api, id, open, progress);
                    }
                }
            });
        },
        std::time::Duration::from_millis(1500),
    );
}

#[component]
fn OcrFiles(result: OcrResult) -> impl IntoView {
    let i18n = use_i18n();
    let state = |s: &OcrState| match s {
        OcrState::Processing => t_string!(i18n, action.ocr_processing).to_string(),
        OcrState::Done => t_string!(i18n, action.ocr_done).to_string(),
        OcrState::Failed => t_string!(i18n, action.ocr_failed).to_string(),
        OcrState::Pending => t_string!(i18n, action.ocr_pending).to_string(),
        OcrState::Other(s) => s.clone(),
    };
    view! {
        <p role="status" class="ocr-overall" data-state=result.status.to_string()>{state(&result.status)}</p>
        <ul class="ocr-files">
            {result.files.into_iter().map(|f| view! {
                <li data-state=f.status.to_string()>
                    <h3>{f.file_name.clone()}" · "{state(&f.status)}</h3>
                    {f.summary.clone().map(|s| view! { <p><b>{tr!(i18n, action.ocr_summary)}": "</b>{s}</p> })}
                    {f.text.clone().map(|t| view! { <pre class="ocr-text">{t}</pre> })}
                    {f.error.clone().map(|e| view! { <p class="error">{e}</p> })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Change a call's status (after choosing the new one).
#[component]
pub fn UpdateStatusAction(target: RwSignal<Option<(String, CallStatus)>>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let progress = RwSignal::new(Progress::<()>::Idle);
    let choice = RwSignal::new(String::new());
    let job = StoredValue::new(String::new());
    Effect::new(move |_| {
        if let Some((j, current)) = target.get() {
            job.set_value(j);
            choice.set(current.to_string());
            progress.set(Progress::Idle);
        }
    });
    let submit = move || {
        progress.set(Progress::Working);
        let job = job.get_value();
        let status = CallStatus::parse(&choice.get_untracked());
        leptos::task::spawn_local(async move {
            match api.post::<serde_json::Value, _>(&format!("/api/calls/{job}/status"), &shared::api::StatusChange { call_status: status }).await {
                Ok(_) => {
                    progress.set(Progress::Done(()));
                    on_done.run(());
                }
                Err(e) => progress.set(Progress::Failed(e)),
            }
        });
    };
    let close = Callback::new(move |_| {
        target.set(None);
        progress.set(Progress::Idle);
    });
    let choices = StoredValue::new(vec![
        CallStatus::Succeeded,
        CallStatus::Cancelled,
        CallStatus::Paused,
        CallStatus::Failed,
        CallStatus::NoAnswer,
        CallStatus::Busy,
        CallStatus::PoweredOff,
        CallStatus::Terminated,
    ]);
    view! {
        <Show when=move || target.with(|t| t.is_some())>
            <Dialog title=tr!(i18n, action.update_status_heading) on_close=close>
                <form on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    <label class="field">
                        <span>{tr!(i18n, action.new_status)}</span>
                        <select id="new-status" prop:value=move || choice.get() on:change=move |ev| choice.set(event_target_value(&ev))>
                            {choices.get_value().into_iter().map(|s| {
                                let value = s.to_string();
                                view! { <option value=value>{crate::string_signal(move || status_label(i18n, Some(&s)))}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    {move || match progress.get() {
                        Progress::Idle => view! {
                            <div class="dialog-actions"><button type="submit" class="btn primary">{tr!(i18n, action.update_status_submit)}</button></div>
                        }.into_any(),
                        Progress::Working => view! { <p role="status" aria-busy="true">{tr!(i18n, action.working)}</p> }.into_any(),
                        Progress::Done(()) => view! { <p class="ok" role="status">{tr!(i18n, action.updated)}</p> }.into_any(),
                        Progress::Failed(e) => view! { <Failure error=e retry=Callback::new(move |_| submit())/> }.into_any(),
                    }}
                </form>
            </Dialog>
        </Show>
    }
}
