//! The case screen: parties (phones masked), the dispute facts, the timeline
//! of AI calls with their quality scores, the audit trail, and the actions.

use leptos::prelude::*;
use shared::wire::api::{AuditResponse, ConversationsResponse, EventKind};
use shared::view::render::case::{audit_html, case_facts_html, parties_html, timeline_html};
use shared::view::render::{CALL_ITEM, STATUS_BUTTON};
use shared::wire::mediation::{BoardRecord, CallStatus};

use crate::widgets::actions::{CallAction, Produce, ProduceAction, TakeoverAction, UpdateStatusAction};
use crate::services::api::use_api;
use crate::services::board_data::{BoardState, Load};
use crate::widgets::markup;
use crate::i18n::*;
use crate::services::live::Live;
use crate::widgets::load::loaded;

#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = crate::services::nav::use_nav();
    let case_id = crate::services::nav::param(nav, shared::view::route::Page::case_id);
    let board = expect_context::<BoardState>();
    let record = Memo::new(move |_| board.case(&case_id.get()));
    let known = Memo::new(move |_| record.with(|r| r.is_some()));
    view! {
        <section class="case-screen" aria-labelledby="case-title">
            <nav class="crumbs"><a href=crate::services::embed::board_href()>{tr!(i18n, back_to_board)}</a></nav>
            <Show when=move || known.get() fallback=move || match board.load.get() {
                Load::Loading => view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
                _ => view! { <p class="empty" role="alert">{tr!(i18n, case.not_found)}</p> }.into_any(),
            }>
                // Rendered once per case: data refreshes update the fields in
                // place, so an open dialog (and its result) stays open.
                {move || { let id = case_id.get(); view! { <CaseBody case_id=id record=record/> } }}
            </Show>
        </section>
    }
}

/// The case's fields, read reactively from the board.
fn field<T: Send + Sync + Clone + 'static>(record: Memo<Option<BoardRecord>>, f: fn(&BoardRecord) -> T, fallback: T) -> Signal<T> {
    Signal::derive(move || record.with(|r| r.as_ref().map(f).unwrap_or_else(|| fallback.clone())))
}

#[component]
fn CaseBody(case_id: String, record: Memo<Option<BoardRecord>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = expect_context::<Live>();
    let id = StoredValue::new(case_id.clone());

    let calls = LocalResource::new(move || {
        let id = id.get_value();
        async move { api.get::<ConversationsResponse>(&format!("/api/conversations?caseId={id}")).await }
    });
    let audit = LocalResource::new(move || {
        let id = id.get_value();
        async move { api.get::<AuditResponse>(&format!("/api/cases/{id}/audit")).await }
    });
    // Anything that happens to this case (or its calls' notes) refreshes it.
    let seen = StoredValue::new(live.last_seq());
    crate::effect(move || {
        live.version.track();
        let id = id.get_value();
        let job_ids: Vec<String> =
            calls.get_untracked().and_then(|r| r.ok()).map(|c| c.calls.iter().map(|c| c.job_id.clone()).collect()).unwrap_or_default();
        let mut refresh = false;
        for e in live.since(seen.get_value()) {
            seen.set_value(e.seq);
            let mine = e.case_id.as_deref() == Some(id.as_str()) || e.job_id.as_ref().is_some_and(|j| job_ids.contains(j));
            if mine && e.kind != EventKind::BoardChanged {
                refresh = true;
            }
        }
        if refresh {
            calls.refetch();
            audit.refetch();
        }
    });
    // The case's latest call is listed from its board row until the
    // backend's call log has it, which can lag behind the call's end (and
    // live events may be down): ask the log again every 5 s meanwhile.
    // A minute without it, it stops asking (a call the backend never logs,
    // e.g. cancelled before dialling) and says so; a newer call starts again.
    let waiting = Memo::new(move |_| {
        let job = record.with(|r| r.as_ref().and_then(|r| r.job_id.clone()))?;
        calls.with(|c| matches!(c, Some(Ok(list)) if !list.calls.iter().any(|c| c.job_id == job))).then_some(job)
    });
    let tries = StoredValue::new((None::<String>, 0u32));
    let gave_up = RwSignal::new(false);
    if let Ok(timer) = set_interval_with_handle(
        move || {
            let Some(job) = waiting.get_untracked() else { return };
            let n = tries.with_value(|(j, n)| if j.as_ref() == Some(&job) { *n + 1 } else { 1 });
            tries.set_value((Some(job), n));
            if n > 12 {
                gave_up.set(true);
            } else {
                gave_up.set(false);
                calls.refetch();
            }
        },
        std::time::Duration::from_secs(5),
    ) {
        on_cleanup(move || timer.clear());
    }
    let status_target = RwSignal::new(None::<(String, CallStatus)>);
    provide_context(crate::widgets::followups::NotesChanged(RwSignal::new(0)));
    crate::services::embed::post(shared::wire::embed::BoardEvent::CaseOpened { case_id: case_id.clone() });

    let name = field(record, |r| r.case_name.clone(), String::new());
    let facts = field(record, |r| r.facts.clone(), String::new());

    view! {
        <header class="case-head">
            <h2 id="case-title">{name}</h2>
            <p class="muted">{case_id.clone()}</p>
            <dl class="facts-grid" inner_html=move || record.with(|r| r.as_ref().map(|r| case_facts_html(i18n.strings(), r)).unwrap_or_default())></dl>
        </header>
        <section class="actions" aria-label=tr!(i18n, case.actions)>
            <CallAction record=record/>
            <TakeoverAction record=record/>
            <ProduceAction case_id=case_id.clone() what=Produce::Agreement/>
            <ProduceAction case_id=case_id.clone() what=Produce::Ocr/>
        </section>
        <div class="case-grid">
            <section aria-labelledby="facts-title">
                <h3 id="facts-title">{tr!(i18n, case.facts)}</h3>
                <p class="facts">{facts}</p>
                <h3 id="parties-title">{tr!(i18n, case.parties)}</h3>
                <table class="parties" aria-labelledby="parties-title">
                    <thead><tr>
                        <th scope="col">{tr!(i18n, case.parties)}</th>
                        <th scope="col">{tr!(i18n, case.role)}</th>
                        <th scope="col">{tr!(i18n, case.phone)}</th>
                    </tr></thead>
                    <tbody inner_html=move || record.with(|r| r.as_ref().map(|r| parties_html(i18n.strings(), &r.parties)).unwrap_or_default())></tbody>
                </table>
            </section>
            <section aria-labelledby="calls-title">
                <h3 id="calls-title">{tr!(i18n, case.calls)}</h3>
                <CallTimeline record=record calls=calls gave_up=gave_up on_update=Callback::new(move |t| status_target.set(Some(t)))/>
            </section>
            <crate::widgets::followups::FollowUps case_id=case_id.clone()/>
            <section aria-labelledby="audit-title">
                <h3 id="audit-title">{tr!(i18n, case.audit)}</h3>
                <AuditTrail audit=audit/>
            </section>
        </div>
        <UpdateStatusAction target=status_target on_done=Callback::new(move |_| { calls.refetch(); audit.refetch(); })/>
    }
}

#[component]
fn CallTimeline(
    record: Memo<Option<BoardRecord>>,
    calls: LocalResource<Result<ConversationsResponse, crate::services::api::ApiFailure>>,
    gave_up: RwSignal<bool>,
    on_update: Callback<(String, CallStatus)>,
) -> impl IntoView {
    let i18n = use_i18n();
    // One listener for every call's "update status" button.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = markup::clicked(&ev, STATUS_BUTTON.selector) else { return };
        let job = button.closest(CALL_ITEM.selector).ok().flatten().and_then(|li| li.get_attribute(CALL_ITEM.attr));
        if let (Some(job), Some(status)) = (job, button.get_attribute(STATUS_BUTTON.attr)) {
            on_update.run((job, CallStatus::parse(&status)));
        }
    };
    // The case's latest call (from its board row, patched live) leads the
    // list until the backend's call log has it.
    loaded(calls, move |list| {
        view! { <div class="calls" on:click=on_click inner_html=move || record.with(|r| timeline_html(markup::ctx(i18n), r.as_ref(), &list.calls, gave_up.get()))></div> }
    })
}

#[component]
fn AuditTrail(audit: LocalResource<Result<AuditResponse, crate::services::api::ApiFailure>>) -> impl IntoView {
    let i18n = use_i18n();
    loaded(audit, move |a| view! { <div inner_html=move || audit_html(i18n.strings(), &a.entries)></div> })
}

