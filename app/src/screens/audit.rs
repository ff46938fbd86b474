//! 操作记录 / The whole audit trail (supervisors, admins): filters in the URL,
//! a page of entries from `GET /api/audit`, older pages appended on request,
//! and what is shown exported as CSV. The markup is
//! `shared::view::render::audit`.

use leptos::prelude::*;
use shared::view::labels::fill;
use shared::view::render::audit::{csv_rows, entries_html, filters_html};
use shared::wire::api::{AuditEntry, AuditResponse};
use shared::wire::audit::AuditQuery;
use shared::wire::insights::csv;

use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::markup::{ctx, download, value_of};

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let nav = crate::services::nav::use_nav();
    let search = nav.search();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let state = RwSignal::new(None::<Result<(), String>>);
    let said = RwSignal::new(String::new());
    // Reads one page: the first for a new query, or the next older one.
    let read = move |q: AuditQuery, before: Option<i64>| {
        state.set(None);
        leptos::task::spawn_local(async move {
            let mut path = format!("/api/audit?{}", q.to_query());
            if let Some(b) = before {
                path.push_str(&format!("&before={b}"));
            }
            match api.get::<AuditResponse>(&path).await {
                Ok(page) => {
                    if before.is_some() {
                        entries.update(|e| e.extend(page.entries));
                    } else {
                        entries.set(page.entries);
                    }
                    next.set(page.next_before);
                    state.set(Some(Ok(())));
                }
                Err(e) => state.set(Some(Err(e.to_string()))),
            }
        });
    };
    let query = Memo::new(move |_| AuditQuery::from_query(&search.get()));
    crate::effect(move || match query.get() {
        Ok(q) => read(q, None),
        Err(e) => state.set(Some(Err(format!("{}: {}", e.field, e.problem)))),
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let optional = |id: &str| Some(value_of(id).trim().to_owned()).filter(|v| !v.is_empty());
        let limit = query.get_untracked().map(|q| q.limit).unwrap_or(shared::wire::audit::DEFAULT_LIMIT);
        let q = AuditQuery { user: optional("audit-user"), action: optional("audit-action"), case_id: optional("audit-case"), from: optional("audit-from"), to: optional("audit-to"), before: None, limit };
        let base = shared::view::route::Page::Audit.href(crate::services::embed::is_embed_path());
        let query = q.to_query();
        nav.navigate(&if query.is_empty() { base } else { format!("{base}?{query}") }, true);
    };
    let more = move |_| {
        if let (Ok(q), Some(before)) = (query.get_untracked(), next.get_untracked()) {
            read(q, Some(before));
        }
    };
    let export = move |_| {
        entries.with_untracked(|e| {
            let name = format!("audit-{}.csv", crate::widgets::followups::today());
            download(&name, &csv(&csv_rows(i18n.strings(), e)));
            said.set(fill(t_string!(i18n, audit_log.exported), &[("name", &name)]));
        });
    };
    let form = Memo::new(move |_| filters_html(i18n.strings(), &query.get().unwrap_or_default()));
    view! {
        <section class="audit-screen" aria-labelledby="audit-title">
            <h2 id="audit-title">{tr!(i18n, audit_log.heading)}</h2>
            <div on:submit=apply inner_html=move || form.get()></div>
            <p role="status" id="audit-status">{move || match state.get() {
                None => t_string!(i18n, audit_log.loading).to_owned(),
                Some(Err(e)) => format!("{}{e}", t_string!(i18n, audit_log.error)),
                Some(Ok(())) => {
                    let n = entries.with(|e| e.len()).to_string();
                    let shown = if next.get().is_some() { t_string!(i18n, audit_log.shown) } else { t_string!(i18n, audit_log.all_shown) };
                    let exported = said.get();
                    if exported.is_empty() { fill(shown, &[("n", &n)]) } else { format!("{} · {exported}", fill(shown, &[("n", &n)])) }
                }
            }}</p>
            <div class="toolbar">
                <button type="button" class="btn small ghost" id="audit-export" disabled=move || entries.with(|e| e.is_empty()) on:click=export>{tr!(i18n, audit_log.export)}</button>
            </div>
            <div id="audit-list" aria-busy=move || state.with(|s| s.is_none()).to_string() inner_html=move || entries.with(|e| entries_html(ctx(i18n), e))></div>
            <Show when=move || next.get().is_some()>
                <button type="button" class="btn" id="audit-more" on:click=more>{tr!(i18n, audit_log.more)}</button>
            </Show>
        </section>
    }
}
