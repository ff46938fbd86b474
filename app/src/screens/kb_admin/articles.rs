//! Articles of the Q&A and document libraries: list (keyword, order, pages),
//! view, create, edit, delete with confirmation. The form is checked by the
//! doc's rules before it is sent (`ArticleForm::to_input`), as the edge
//! checks it again.

use leptos::prelude::*;
use shared::view::knowledge::{ArticleForm, Pager};
use shared::view::labels::fill;
use shared::wire::clink::kb::{Article, ArticleDetail, ArticlePage, ArticleSaved, IdRequest};
use shared::wire::url::encode_component;

use super::{DirectorySelect, Workspace};
use crate::widgets::pager::PagerNav;
use crate::widgets::dialog::ConfirmDelete;
use crate::i18n::*;
use crate::services::api::use_api;

const PER_PAGE: i64 = 10;

/// The list's filters as the edge's query asks for them.
#[derive(Clone, Debug, PartialEq)]
struct Filter {
    kb_type: i64,
    keyword: String,
    order: String,
}

fn similars_text(value: &Option<serde_json::Value>) -> String {
    match value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned).or_else(|| i["question"].as_str().map(str::to_owned)))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[component]
pub fn Articles() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let filter = RwSignal::new(Filter { kb_type: 0, keyword: String::new(), order: "NONE".into() });
    let pager = RwSignal::new(Pager::first(PER_PAGE));
    let articles = RwSignal::new(None::<Result<Vec<Article>, String>>);
    let load = move |at: Pager| {
        let f = filter.get_untracked();
        let mut path = format!("/api/clink/kb/list_articles?kbType={}&offset={}&limit={}&order={}", f.kb_type, at.offset, at.limit, f.order);
        if let Some(id) = ws.repo.with_untracked(|r| r.as_ref().map(|r| r.id)) {
            path.push_str(&format!("&kbId={id}"));
        }
        if !f.keyword.trim().is_empty() {
            path.push_str(&format!("&keyword={}", encode_component(f.keyword.trim())));
        }
        articles.set(None);
        leptos::task::spawn_local(async move {
            match api.get::<ArticlePage>(&path).await {
                Ok(page) => {
                    pager.set(at.with_total(page.total_count));
                    articles.set(Some(Ok(page.articles)));
                }
                Err(e) => articles.set(Some(Err(e.to_string()))),
            }
        });
    };
    crate::effect(move || {
        ws.repo.track();
        load(Pager::first(PER_PAGE));
    });

    let form = RwSignal::new(None::<ArticleForm>);
    let editor_open = Memo::new(move |_| form.with(|f| f.as_ref().map(|f| f.id)));
    let viewing = RwSignal::new(None::<Article>);
    let confirm = RwSignal::new(None::<(String, Callback<()>)>);
    let detail = move |id: String, then: fn(Article, RwSignal<Option<ArticleForm>>, RwSignal<Option<Article>>)| {
        ws.say(t_string!(i18n, loading));
        leptos::task::spawn_local(async move {
            match api.get::<ArticleDetail>(&format!("/api/clink/kb/describe_article?id={}", encode_component(&id))).await {
                Ok(d) => {
                    ws.say("");
                    then(d.article, form, viewing);
                }
                Err(e) => ws.failed(i18n, &e),
            }
        });
    };
    let open_view = move |id: String| detail(id, |a, _, viewing| viewing.set(Some(a)));
    let open_edit = move |id: String| {
        detail(id, |a, form, viewing| {
            viewing.set(None);
            let kb_type = a.kb_type.unwrap_or(0);
            form.set(Some(ArticleForm {
                id: a.id.to_string().parse().ok(),
                kb_id: a.kb_id.unwrap_or_default(),
                kb_type,
                directory_id: a.directory_id,
                title: a.title.clone(),
                answers: a.answers.iter().flatten().map(|x| x.answer.clone()).collect(),
                similars: similars_text(&a.similars),
                content: a.content.clone().unwrap_or_default(),
                agent_enabled: true,
            }))
        })
    };
    let new_article = move |_| {
        let Some(kb_id) = ws.repo.with_untracked(|r| r.as_ref().map(|r| r.id)) else { return ws.say(t_string!(i18n, kb_admin.choose_repo)) };
        viewing.set(None);
        form.set(Some(ArticleForm { kb_id, kb_type: filter.get_untracked().kb_type, agent_enabled: true, answers: vec![String::new()], ..Default::default() }));
    };
    let delete = move |id: String, title: String| {
        let run = Callback::new({
            let title = title.clone();
            move |_| {
                let Ok(id) = id.parse::<i64>() else { return };
                let title = title.clone();
                ws.say(t_string!(i18n, kb_admin.deleting));
                leptos::task::spawn_local(async move {
                    match api.post::<ArticleSaved, _>("/api/clink/kb/delete_article", &IdRequest { id }).await {
                        Ok(_) => {
                            ws.say(fill(t_string!(i18n, kb_admin.deleted), &[("title", &title)]));
                            viewing.set(None);
                            load(pager.get_untracked());
                        }
                        Err(e) => ws.failed(i18n, &e),
                    }
                });
            }
        });
        ws.confirm_delete(i18n, confirm, &title, run);
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load(Pager::first(PER_PAGE));
    };
    view! {
        <div class="kba-articles">
            <form class="filters" id="kba-article-filters" on:submit=apply>
                <label for="kba-kb-type">{tr!(i18n, kb_admin.kb_type)}</label>
                <select id="kba-kb-type" on:change=move |ev| filter.update(|f| f.kb_type = event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0">{tr!(i18n, kb_admin.qa_library)}</option>
                    <option value="1">{tr!(i18n, kb_admin.doc_library)}</option>
                </select>
                <label for="kba-keyword">{tr!(i18n, kb_admin.keyword)}</label>
                <input id="kba-keyword" type="search" prop:value=move || filter.with(|f| f.keyword.clone())
                    on:input=move |ev| filter.update(|f| f.keyword = event_target_value(&ev))/>
                <label for="kba-order">{tr!(i18n, kb_admin.order)}</label>
                <select id="kba-order" on:change=move |ev| filter.update(|f| f.order = event_target_value(&ev))>
                    <option value="NONE">{tr!(i18n, kb_admin.order_none)}</option>
                    <option value="HEAT">{tr!(i18n, kb_admin.order_heat)}</option>
                    <option value="LIKE">{tr!(i18n, kb_admin.order_like)}</option>
                    <option value="DISLIKE">{tr!(i18n, kb_admin.order_dislike)}</option>
                </select>
                <button type="submit" class="btn">{tr!(i18n, kb_admin.apply)}</button>
                <button type="button" class="btn primary" id="kba-new-article" on:click=new_article>{tr!(i18n, kb_admin.new_article)}</button>
            </form>
            // Built once per opening, not on every keystroke in it.
            {move || editor_open.get().is_some().then(|| view! { <Editor form=form on_saved=Callback::new(move |_| load(pager.get_untracked()))/> })}
            {move || viewing.get().map(|a| view! { <ArticleView article=a on_close=Callback::new(move |_| viewing.set(None))/> })}
            <div aria-busy=move || articles.with(|a| a.is_none()).to_string()>
                {move || match articles.get() {
                    None => view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <crate::widgets::load::LoadFailed message=e retry=move |_| load(pager.get_untracked())/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="muted" id="kba-no-articles">{tr!(i18n, kb_admin.no_articles)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <table class="kba-table" id="kba-articles">
                            <thead><tr>
                                <th scope="col">{tr!(i18n, kb_admin.title)}</th>
                                <th scope="col">{tr!(i18n, kb_admin.directory)}</th>
                                <th scope="col">{tr!(i18n, kb_admin.actions)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|a| {
                                    let id = a.id.to_string();
                                    let path = a.path.clone().map(|p| p.join(" / ")).unwrap_or_else(|| ws.directory_path(a.directory_id));
                                    let (v, e, d, title) = (id.clone(), id.clone(), id.clone(), a.title.clone());
                                    view! {
                                        <tr data-article-id=id.clone()>
                                            <td class="title">{a.title.clone()}</td>
                                            <td>{path}</td>
                                            <td class="row-actions">
                                                <button type="button" class="btn small ghost" on:click=move |_| open_view(v.clone())>{tr!(i18n, kb_admin.view)}</button>
                                                <button type="button" class="btn small ghost" on:click=move |_| open_edit(e.clone())>{tr!(i18n, kb_admin.edit)}</button>
                                                <button type="button" class="btn small danger" on:click=move |_| delete(d.clone(), title.clone())>{tr!(i18n, kb_admin.delete)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </div>
            <PagerNav id="kba-articles-pager" pager=pager go=move |at| load(at)/>
            <ConfirmDelete what=confirm/>
        </div>
    }
}

#[component]
fn ArticleView(article: Article, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let similars = similars_text(&article.similars);
    view! {
        <article class="kba-article" id="kba-article-view" aria-labelledby="kba-article-view-title">
            <h3 id="kba-article-view-title">{article.title.clone()}</h3>
            {article.content.clone().map(|c| view! { <p class="content">{c}</p> })}
            <ol class="answers">
                {article.answers.clone().unwrap_or_default().into_iter().map(|a| view! { <li>{a.answer}</li> }).collect_view()}
            </ol>
            {(!similars.is_empty()).then(|| view! { <p class="muted">{move || t_string!(i18n, kb_admin.similars)}": "{similars.replace('\n', " / ")}</p> })}
            <button type="button" class="btn small ghost" on:click=move |_| on_close.run(())>{tr!(i18n, kb_admin.close)}</button>
        </article>
    }
}

/// The create/edit form. Q&A articles have up to three answers and similar
/// questions; documents have their text.
#[component]
fn Editor(form: RwSignal<Option<ArticleForm>>, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let busy = RwSignal::new(false);
    let directory = RwSignal::new(form.with_untracked(|f| f.as_ref().and_then(|f| f.directory_id)));
    let get = move |read: fn(&ArticleForm) -> String| form.with(|f| f.as_ref().map(read).unwrap_or_default());
    let set = move |write: fn(&mut ArticleForm, String), value: String| form.update(|f| {
        if let Some(f) = f {
            write(f, value);
        }
    });
    let qa = move || form.with(|f| f.as_ref().is_some_and(|f| f.kb_type == 0));
    let editing = form.with_untracked(|f| f.as_ref().is_some_and(|f| f.id.is_some()));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut f) = form.get_untracked() else { return };
        f.directory_id = directory.get_untracked();
        let input = match f.to_input() {
            Ok(input) => input,
            Err(e) => return ws.field_error(i18n, &e),
        };
        let path = if input.id.is_some() { "/api/clink/kb/update_article" } else { "/api/clink/kb/create_article" };
        let title = f.title.trim().to_owned();
        busy.set(true);
        ws.say(t_string!(i18n, kb_admin.saving));
        leptos::task::spawn_local(async move {
            match api.post::<ArticleSaved, _>(path, &input).await {
                Ok(_) => {
                    ws.say(fill(t_string!(i18n, kb_admin.saved), &[("title", &title)]));
                    form.set(None);
                    on_saved.run(());
                }
                Err(e) => ws.failed(i18n, &e),
            }
            busy.set(false);
        });
    };
    let answer = move |n: usize| {
        let id = format!("kba-answer-{}", n + 1);
        view! {
            <label for=id.clone()>{move || fill(t_string!(i18n, kb_admin.answer_n), &[("n", &(n + 1).to_string())])}</label>
            <textarea id=id rows="3" maxlength="2000"
                prop:value=move || form.with(|f| f.as_ref().and_then(|f| f.answers.get(n).cloned()).unwrap_or_default())
                on:input=move |ev| form.update(|f| if let Some(f) = f {
                    f.answers.resize(f.answers.len().max(n + 1), String::new());
                    f.answers[n] = event_target_value(&ev);
                })></textarea>
        }
    };
    view! {
        <form class="kba-editor" id="kba-article-form" aria-labelledby="kba-editor-title" aria-busy=move || busy.get().to_string() on:submit=save>
            <h3 id="kba-editor-title">{move || if editing { t_string!(i18n, kb_admin.edit_article) } else { t_string!(i18n, kb_admin.new_article) }}</h3>
            <DirectorySelect id="kba-article-directory" value=directory/>
            <label for="kba-article-title">{tr!(i18n, kb_admin.title)}</label>
            <input id="kba-article-title" type="text" aria-describedby="kba-title-hint" prop:value=move || get(|f| f.title.clone())
                on:input=move |ev| set(|f, v| f.title = v, event_target_value(&ev))/>
            <small id="kba-title-hint" class="muted">{tr!(i18n, kb_admin.title_hint)}</small>
            <Show when=qa fallback=move || view! {
                <label for="kba-article-content">{tr!(i18n, kb_admin.content)}</label>
                <textarea id="kba-article-content" rows="6" prop:value=move || get(|f| f.content.clone())
                    on:input=move |ev| set(|f, v| f.content = v, event_target_value(&ev))></textarea>
            }>
                {answer(0)}{answer(1)}{answer(2)}
                <label for="kba-article-similars">{tr!(i18n, kb_admin.similars_hint)}</label>
                <textarea id="kba-article-similars" rows="3" prop:value=move || get(|f| f.similars.clone())
                    on:input=move |ev| set(|f, v| f.similars = v, event_target_value(&ev))></textarea>
            </Show>
            <label class="check">
                <input type="checkbox" id="kba-article-agent" prop:checked=move || form.with(|f| f.as_ref().is_some_and(|f| f.agent_enabled))
                    on:change=move |ev| form.update(|f| if let Some(f) = f { f.agent_enabled = event_target_checked(&ev) })/>
                {tr!(i18n, kb_admin.agent_enabled)}
            </label>
            <div class="dialog-actions">
                <button type="button" class="btn" on:click=move |_| form.set(None)>{tr!(i18n, cancel)}</button>
                <button type="submit" class="btn primary" id="kba-article-save" disabled=move || busy.get()>{tr!(i18n, kb_admin.save)}</button>
            </div>
        </form>
    }
}
