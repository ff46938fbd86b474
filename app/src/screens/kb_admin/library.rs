//! The repositories (public, private, the bot's), the chosen one's directory
//! tree, and its FAQs page by page.

use leptos::prelude::*;
use shared::view::knowledge::Pager;
use shared::wire::clink::kb::{BotRepository, Faq, FaqPage, FaqQuery, RepositoryList, Repository};

use super::{Workspace};
use crate::widgets::pager::PagerNav;
use crate::i18n::*;
use crate::services::api::use_api;

const FAQS_PER_PAGE: i64 = 10;

#[component]
pub fn Library() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let repos = LocalResource::new(move || async move {
        let public = api.get::<RepositoryList>("/api/clink/aikb/list_public_repositories").await?.result;
        let private = api.get::<RepositoryList>("/api/clink/aikb/list_private_repositories").await?.result;
        let bot = api.get::<BotRepository>("/api/clink/aikb/describe_bot_repository").await?.result;
        ws.bot_id.set(Some(bot.id.to_string()));
        Ok((public, private, bot))
    });
    let group = move |title: &'static str, list: Vec<Repository>| {
        view! {
            <h3>{title}</h3>
            <ul class="repo-list">
                {list.into_iter().map(|r| {
                    let id = r.id;
                    let chosen = move || ws.repo.with(|c| c.as_ref().map(|c| c.id) == Some(id));
                    view! {
                        <li><button type="button" class="btn ghost repo" data-repo-id=id.to_string() aria-pressed=move || chosen().to_string()
                            on:click=move |_| ws.repo.set(Some(r.clone()))>{format!("{} ({id})", r.name)}</button></li>
                    }
                }).collect_view()}
            </ul>
        }
    };
    view! {
        <div class="kba-library">
            {crate::widgets::load::loaded(repos, move |(public, private, bot)| view! {
                {group(t_string!(i18n, kb_admin.public_repos), public)}
                {group(t_string!(i18n, kb_admin.private_repos), private)}
                {group(t_string!(i18n, kb_admin.bot_repo), vec![bot])}
            })}
            <Show when=move || ws.repo.with(|r| r.is_some())>
                <h3>{tr!(i18n, kb_admin.directories)}</h3>
                <ul class="dir-tree" id="kba-directories">
                    {move || {
                        let dirs = ws.dirs.get();
                        if dirs.is_empty() {
                            return view! { <li class="muted">{tr!(i18n, kb_admin.no_directories)}</li> }.into_any();
                        }
                        dirs.into_iter().map(|d| {
                            let depth = d.path.matches(" / ").count();
                            view! {
                                <li style=format!("padding-left:{}em", depth * 2) data-dir-id=d.id.to_string()>
                                    {d.path.rsplit(" / ").next().unwrap_or_default().to_owned()}
                                    " " <span class="chip">{d.kind}</span> " " <span class="muted">{format!("#{}", d.id)}</span>
                                </li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
                <Faqs/>
            </Show>
        </div>
    }
}

#[component]
fn Faqs() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let pager = RwSignal::new(Pager::first(FAQS_PER_PAGE));
    let faqs = RwSignal::new(None::<Result<Vec<Faq>, String>>);
    let load = move |at: Pager| {
        let Some(repository_id) = ws.repo.with_untracked(|r| r.as_ref().map(|r| r.id)) else { return };
        faqs.set(None);
        leptos::task::spawn_local(async move {
            let q = FaqQuery { repository_id, bot_id: None, update_time_start: None, update_time_end: None, offset: at.offset, limit: at.limit };
            match api.post::<FaqPage, _>("/api/clink/aikb/list_faqs", &q).await {
                Ok(page) => {
                    pager.set(at.with_total(page.total_count));
                    faqs.set(Some(Ok(page.result)));
                }
                Err(e) => faqs.set(Some(Err(e.to_string()))),
            }
        });
    };
    crate::effect(move || {
        ws.repo.track();
        load(Pager::first(FAQS_PER_PAGE));
    });
    view! {
        <h3>{tr!(i18n, kb_admin.faqs)}</h3>
        <div aria-busy=move || faqs.with(|f| f.is_none()).to_string()>
            {move || match faqs.get() {
                None => view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <crate::widgets::load::LoadFailed message=e retry=move |_| load(pager.get_untracked())/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{tr!(i18n, kb_admin.no_faqs)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="kba-table" id="kba-faqs">
                        <thead><tr>
                            <th scope="col">{tr!(i18n, kb_admin.question)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.directory)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.answers)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.similars)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.updated)}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|f| view! {
                                <tr data-faq-id=f.id.to_string()>
                                    <td>{f.question}</td>
                                    <td>{ws.directory_path(f.directory_id)}</td>
                                    <td>{f.answers.iter().map(|a| a.content.clone()).collect::<Vec<_>>().join(" / ")}</td>
                                    <td>{f.similars.len()}</td>
                                    <td>{f.update_time.or(f.create_time).unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </div>
        <PagerNav id="kba-faqs-pager" pager=pager go=move |at| load(at)/>
    }
}
