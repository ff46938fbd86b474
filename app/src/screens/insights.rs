//! 质检分析 / QA insights (supervisors, admins): the range and filters in the
//! URL, the figures from `GET /api/insights/qa`, each view a chart with its
//! table and a CSV export. The markup is `shared::view::render::insights`.

use leptos::prelude::*;
use shared::view::render::insights::{filters_html, insights_html, tasks_html, view_rows};
use shared::view::render::CSV_EXPORT;
use shared::wire::insights::{csv, InsightsQuery, QaInsights};

use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::followups::today;
use crate::widgets::markup::{clicked, ctx, download, value_of};

#[component]
pub fn InsightsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let nav = crate::services::nav::use_nav();
    let search = nav.search();
    let data = RwSignal::new(None::<Result<QaInsights, String>>);
    let said = RwSignal::new(String::new());
    crate::effect(move || {
        let q = search.get();
        data.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/api/insights/qa{q}");
            data.set(Some(api.get::<QaInsights>(&path).await.map_err(|e| e.to_string())));
        });
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let optional = |id: &str| Some(value_of(id).trim().to_owned()).filter(|v| !v.is_empty());
        let q = InsightsQuery { from: value_of("ins-from"), to: value_of("ins-to"), bucket: value_of("ins-bucket"), task: optional("ins-task"), mediator: optional("ins-mediator"), dispute: optional("ins-dispute") };
        let base = shared::view::route::Page::Insights.href(crate::services::embed::is_embed_path());
        nav.navigate(&format!("{base}?{}", q.to_query()), true);
    };
    let export = move |ev: leptos::ev::MouseEvent| {
        let Some(view) = clicked(&ev, CSV_EXPORT.selector).and_then(|b| b.get_attribute(CSV_EXPORT.attr)) else { return };
        data.with_untracked(|d| {
            let Some(Ok(d)) = d else { return };
            if let Some(rows) = view_rows(i18n.strings(), d, &view) {
                let name = format!("qa-{view}-{}-{}.csv", d.query.from, d.query.to);
                download(&name, &csv(&rows));
                said.set(shared::view::labels::fill(t_string!(i18n, insights.exported), &[("name", &name)]));
            }
        });
    };
    // The form follows the URL only; the task names come with the figures.
    let form = Memo::new(move |_| {
        let q = InsightsQuery::from_query(&search.get(), &today()).unwrap_or(InsightsQuery { from: String::new(), to: today(), bucket: "day".into(), task: None, mediator: None, dispute: None });
        filters_html(i18n.strings(), &q)
    });
    let tasks = Memo::new(move |_| data.with(|d| match d {
        Some(Ok(d)) => d.tasks.clone(),
        _ => vec![],
    }));
    view! {
        <section class="insights" aria-labelledby="insights-title">
            <h2 id="insights-title">{tr!(i18n, insights.heading)}</h2>
            <div on:submit=apply inner_html=move || form.get()></div>
            <div inner_html=move || tasks_html(&tasks.get())></div>
            <p role="status" id="insights-status">{move || match data.with(|d| d.as_ref().map(|r| r.is_ok())) {
                None => t_string!(i18n, insights.loading).to_owned(),
                _ => said.get(),
            }}</p>
            <div id="insights-body" on:click=export inner_html=move || data.with(|d| match d {
                None => String::new(),
                Some(Ok(d)) => insights_html(ctx(i18n), d),
                Some(Err(e)) => shared::view::html::Html::empty(&format!("{}{e}", i18n.strings().insights.error)),
            })></div>
        </section>
    }
}
