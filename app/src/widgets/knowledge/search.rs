//! Knowledge search: a keyword, narrowed by kind (FAQ or document) and
//! repository, page by page; documents and FAQ attachments open.

use leptos::prelude::*;
use shared::view::knowledge::Pager;
use shared::view::render::knowledge::hits_html;
use shared::wire::clink::kb::{HitList, Repository, RepositoryList, SearchRequest};

use super::{media_path, open_media, Panel};
use crate::i18n::*;
use crate::services::api::{use_api, ApiFailure};

const PER_PAGE: i64 = 10;

#[component]
pub fn KbSearch() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let panel = expect_context::<Panel>();
    let keyword = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let repository = RwSignal::new(None::<i64>);
    let pager = RwSignal::new(Pager::first(PER_PAGE));
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<HitList, ApiFailure>>);
    // The repositories a mediator may narrow to (read once, when the panel opens).
    let repositories = RwSignal::new(Vec::<Repository>::new());
    leptos::task::spawn_local(async move {
        let mut all = vec![];
        for path in ["/api/clink/aikb/list_public_repositories", "/api/clink/aikb/list_private_repositories"] {
            if let Ok(list) = api.get::<RepositoryList>(path).await {
                all.extend(list.result);
            }
        }
        repositories.set(all);
    });
    let search = move |at: Pager| {
        let k = keyword.get_untracked().trim().to_owned();
        if k.is_empty() {
            return;
        }
        busy.set(true);
        let knowledge_type = Some(kind.get_untracked()).filter(|k| !k.is_empty());
        let repository_ids = repository.get_untracked().map(|r| vec![r]);
        leptos::task::spawn_local(async move {
            let ask = SearchRequest { user_id: None, keyword: k, order_field: None, knowledge_type, repository_ids, directory_ids: None, offset: at.offset, limit: at.limit };
            let r = api.post::<HitList, _>("/api/clink/aikb/search_knowledge_on_open", &ask).await;
            if let Ok(page) = &r {
                pager.set(at.with_total(page.total_count));
            }
            result.set(Some(r));
            busy.set(false);
        });
    };
    // An answer's FAQ source, looked up here.
    crate::effect(move || {
        if let Some(question) = panel.lookup.get() {
            panel.lookup.set(None);
            keyword.set(question);
            kind.set("FAQ".into());
            search(Pager::first(PER_PAGE));
        }
    });
    let opening = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::MouseEvent| {
        if let Some(path) = media_path(&ev) {
            opening.set(None);
            open_media(api, path, move |m| opening.set(Some(m)));
        }
    };
    view! {
        <form class="kb-search" role="search" on:submit=move |ev| { ev.prevent_default(); search(Pager::first(PER_PAGE)); }>
            <label for="kb-keyword" class="sr-only">{tr!(i18n, kb.search_label)}</label>
            <input id="kb-keyword" type="search" autocomplete="off"
                placeholder=tr!(i18n, kb.search_placeholder)
                prop:value=move || keyword.get() on:input=move |ev| keyword.set(event_target_value(&ev))/>
            <button type="submit" class="btn" disabled=move || busy.get()>{tr!(i18n, kb.search_submit)}</button>
            <div class="kb-narrow">
                <label for="kb-kind">{tr!(i18n, kb.narrow_kind)}</label>
                <select id="kb-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{tr!(i18n, kb.kind_all)}</option>
                    <option value="FAQ">{tr!(i18n, kb.faq)}</option>
                    <option value="FILE">{tr!(i18n, kb.file)}</option>
                </select>
                <label for="kb-repo">{tr!(i18n, kb.narrow_repo)}</label>
                <select id="kb-repo" on:change=move |ev| repository.set(event_target_value(&ev).parse().ok())>
                    <option value="">{tr!(i18n, kb.repo_all)}</option>
                    {move || repositories.get().into_iter().map(|r| view! { <option value=r.id.to_string()>{r.name}</option> }).collect_view()}
                </select>
            </div>
        </form>
        <div aria-live="polite" aria-busy=move || busy.get().to_string()>
            {move || busy.get().then(|| view! { <p role="status">{tr!(i18n, loading)}</p> })}
            {move || result.get().map(|r| match r {
                Err(e) => view! { <crate::widgets::load::LoadFailed message=e.to_string() retry=move |_| search(pager.get_untracked())/> }.into_any(),
                Ok(page) => view! {
                    <div on:click=open inner_html=move || hits_html(i18n.strings(), &page.result)></div>
                    <crate::widgets::pager::PagerNav id="kb-pager" pager=pager go=Callback::new(move |at| search(at))/>
                }.into_any(),
            })}
            {move || opening.get().map(|m| view! { <p class="muted" role="status">{m}</p> })}
        </div>
    }
}
