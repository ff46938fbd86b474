//! The bot's knowledge (kept under the bot repository's id): standard
//! questions page by page (added, renamed, deleted), a question's answers and
//! training phrases, and categories. Clink lists no categories, so those made
//! here are listed for this visit.

use leptos::prelude::*;
use shared::view::knowledge::Pager;
use shared::view::labels::fill;
use shared::wire::clink::kb::{
    BotAnswer, BotAnswerInput, BotAnswerList, BotAnswerSaved, BotIdRequest, BotIdsRequest, Category, CategoryInput, CategorySaved, Corpus, CorpusList, CorpusName,
    CorpusRecord, CreateCorpusRequest, DeleteCorpusRequest, Loose, ResultText, StandardQuestion, StandardQuestionInput, StandardQuestionPage, StandardQuestionSaved,
};
use shared::wire::url::encode_component;

use super::{Workspace};
use crate::widgets::pager::PagerNav;
use crate::widgets::dialog::ConfirmDelete;
use crate::i18n::*;
use crate::services::api::use_api;

const PER_PAGE: i64 = 10;

#[component]
pub fn Bot() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let pager = RwSignal::new(Pager::first(PER_PAGE));
    let questions = RwSignal::new(None::<Result<Vec<StandardQuestion>, String>>);
    let chosen = RwSignal::new(None::<StandardQuestion>);
    let confirm = RwSignal::new(None::<(String, Callback<()>)>);
    let new_title = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<i64>);
    let bot = move || ws.bot_id.get_untracked().unwrap_or_default();
    let load = move |at: Pager| {
        let Some(bot_id) = ws.bot_id.get_untracked() else { return };
        questions.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/api/clink/kb/page_standard_question?botId={}&offset={}&limit={}", encode_component(&bot_id), at.offset, at.limit);
            match api.get::<StandardQuestionPage>(&path).await {
                Ok(page) => {
                    pager.set(at.with_total(page.total_count));
                    questions.set(Some(Ok(page.standard_questions)));
                }
                Err(e) => questions.set(Some(Err(e.to_string()))),
            }
        });
    };
    crate::effect(move || {
        if ws.bot_id.get().is_some() {
            load(Pager::first(PER_PAGE));
        }
    });
    let save_question = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let title = new_title.get_untracked().trim().to_owned();
        if title.is_empty() {
            return ws.say(fill(t_string!(i18n, kb_admin.need_field), &[("field", t_string!(i18n, kb_admin.new_question))]));
        }
        let id = renaming.get_untracked();
        let path = if id.is_some() { "/api/clink/kb/update_standard_question" } else { "/api/clink/kb/create_standard_question" };
        let body = StandardQuestionInput { id, bot_id: bot(), title: title.clone(), category_id: None };
        ws.say(t_string!(i18n, kb_admin.saving));
        leptos::task::spawn_local(async move {
            match api.post::<StandardQuestionSaved, _>(path, &body).await {
                Ok(_) => {
                    ws.say(fill(t_string!(i18n, kb_admin.saved), &[("title", &title)]));
                    new_title.set(String::new());
                    renaming.set(None);
                    load(pager.get_untracked());
                }
                Err(e) => ws.failed(i18n, &e),
            }
        });
    };
    let delete = move |q: StandardQuestion| {
        let title = q.title.clone();
        let run = Callback::new(move |_| {
            let title = q.title.clone();
            let body = BotIdsRequest { ids: vec![q.id], bot_id: bot() };
            ws.say(t_string!(i18n, kb_admin.deleting));
            leptos::task::spawn_local(async move {
                match api.post::<ResultText, _>("/api/clink/kb/delete_standard_question", &body).await {
                    Ok(_) => {
                        ws.say(fill(t_string!(i18n, kb_admin.deleted), &[("title", &title)]));
                        chosen.set(None);
                        load(pager.get_untracked());
                    }
                    Err(e) => ws.failed(i18n, &e),
                }
            });
        });
        ws.confirm_delete(i18n, confirm, &title, run);
    };
    view! {
        <div class="kba-bot">
            <p class="muted">{move || format!("{}: {}", t_string!(i18n, kb_admin.bot_id), ws.bot_id.get().unwrap_or_else(|| "…".into()))}</p>
            <form class="inline-form" id="kba-question-form" on:submit=save_question>
                <label for="kba-question-title">{move || if renaming.get().is_some() { t_string!(i18n, kb.rename) } else { t_string!(i18n, kb_admin.new_question) }}</label>
                <input id="kba-question-title" type="text" prop:value=move || new_title.get() on:input=move |ev| new_title.set(event_target_value(&ev))/>
                <button type="submit" class="btn primary">{move || if renaming.get().is_some() { t_string!(i18n, kb_admin.save) } else { t_string!(i18n, kb_admin.add) }}</button>
            </form>
            <h3>{tr!(i18n, kb_admin.questions)}</h3>
            {move || match questions.get() {
                None => view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <crate::widgets::load::LoadFailed message=e retry=move |_| load(pager.get_untracked())/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{tr!(i18n, kb_admin.no_questions)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="kba-questions" id="kba-questions">
                        {list.into_iter().map(|q| {
                            let deleted = q.sq_is_delete == Some(true);
                            let (pick, rename, gone) = (q.clone(), q.clone(), q.clone());
                            view! {
                                <li data-sq-id=q.id.to_string() class:deleted=deleted>
                                    <span class="title">{q.title.clone()}</span>
                                    {deleted.then(|| view! { " " <span class="chip">{tr!(i18n, kb_admin.is_deleted)}</span> })}
                                    {(!deleted).then(|| view! {
                                        <button type="button" class="btn small ghost" on:click=move |_| chosen.set(Some(pick.clone()))>{tr!(i18n, kb_admin.view)}</button>
                                        <button type="button" class="btn small ghost" on:click=move |_| { renaming.set(Some(rename.id)); new_title.set(rename.title.clone()); }>{tr!(i18n, kb.rename)}</button>
                                        <button type="button" class="btn small danger" on:click=move |_| delete(gone.clone())>{tr!(i18n, kb_admin.delete)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <PagerNav id="kba-questions-pager" pager=pager go=move |at| load(at)/>
            {move || match chosen.get() {
                Some(q) => view! { <QuestionDetail question=q/> }.into_any(),
                None => view! { <p class="muted">{tr!(i18n, kb_admin.choose_question)}</p> }.into_any(),
            }}
            <Categories/>
            <ConfirmDelete what=confirm/>
        </div>
    }
}

/// A standard question's answers and training phrases.
#[component]
fn QuestionDetail(question: StandardQuestion) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let sq = question.id;
    let bot = move || ws.bot_id.get_untracked().unwrap_or_default();
    let answers = RwSignal::new(Vec::<BotAnswer>::new());
    let corpora = RwSignal::new(Vec::<Corpus>::new());
    let load = move || {
        let bot_id = encode_component(&bot());
        leptos::task::spawn_local(async move {
            match api.get::<BotAnswerList>(&format!("/api/clink/kb/list_answer?botId={bot_id}&sqId={sq}")).await {
                Ok(list) => answers.set(list.answers),
                Err(e) => ws.failed(i18n, &e),
            }
            match api.get::<CorpusList>(&format!("/api/clink/kb/list_corpus?botId={bot_id}&sqId={sq}&offset=0&limit=100")).await {
                Ok(list) => corpora.set(list.corpora),
                Err(e) => ws.failed(i18n, &e),
            }
        });
    };
    load();
    let new_answer = RwSignal::new(String::new());
    let new_corpus = RwSignal::new(String::new());
    let title = StoredValue::new(question.title.clone());
    let done = move |r: Result<(), crate::services::api::ApiFailure>| match r {
        Ok(()) => {
            ws.say(fill(t_string!(i18n, kb_admin.saved), &[("title", &title.get_value())]));
            load();
        }
        Err(e) => ws.failed(i18n, &e),
    };
    let add_answer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = BotAnswerInput { id: None, bot_id: bot(), answer: new_answer.get_untracked().trim().to_owned(), start_time: None, end_time: None, sq_id: sq, related_sq_id_list: None, period_type: Some(0) };
        if body.answer.is_empty() {
            return ws.say(fill(t_string!(i18n, kb_admin.need_field), &[("field", t_string!(i18n, kb_admin.new_answer))]));
        }
        new_answer.set(String::new());
        leptos::task::spawn_local(async move { done(api.post::<BotAnswerSaved, _>("/api/clink/kb/create_answer", &body).await.map(drop)) });
    };
    let delete_answer = move |id: i64| {
        let body = BotIdsRequest { ids: vec![id], bot_id: bot() };
        leptos::task::spawn_local(async move { done(api.post::<ResultText, _>("/api/clink/kb/delete_answer", &body).await.map(drop)) });
    };
    let add_corpus = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_corpus.get_untracked().trim().to_owned();
        if name.is_empty() {
            return ws.say(fill(t_string!(i18n, kb_admin.need_field), &[("field", t_string!(i18n, kb_admin.new_corpus))]));
        }
        new_corpus.set(String::new());
        let body = CreateCorpusRequest { bot_id: bot(), records: vec![CorpusRecord { sq_id: sq, corpus_list: vec![CorpusName { corpus_name: name }] }] };
        leptos::task::spawn_local(async move { done(api.post::<serde_json::Value, _>("/api/clink/kb/create_corpus", &body).await.map(drop)) });
    };
    let delete_corpus = move |name: String| {
        let body = DeleteCorpusRequest { bot_id: bot(), sq_id: Loose::Number(sq), corpus_names: vec![name] };
        leptos::task::spawn_local(async move { done(api.post::<serde_json::Value, _>("/api/clink/kb/delete_corpus", &body).await.map(drop)) });
    };
    view! {
        <section class="kba-question" id="kba-question-detail" aria-labelledby="kba-question-detail-title">
            <h3 id="kba-question-detail-title">{question.title.clone()}</h3>
            <h4>{tr!(i18n, kb_admin.answers)}</h4>
            <ul id="kba-bot-answers">
                {move || answers.get().into_iter().map(|a| view! {
                    <li>{a.answer.clone()} " "
                        <button type="button" class="btn small danger" on:click=move |_| delete_answer(a.id)>{tr!(i18n, kb_admin.delete)}</button></li>
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add_answer>
                <label for="kba-new-answer">{tr!(i18n, kb_admin.new_answer)}</label>
                <input id="kba-new-answer" type="text" prop:value=move || new_answer.get() on:input=move |ev| new_answer.set(event_target_value(&ev))/>
                <button type="submit" class="btn">{tr!(i18n, kb_admin.add)}</button>
            </form>
            <h4>{tr!(i18n, kb_admin.corpus)}</h4>
            <ul id="kba-corpora">
                {move || corpora.get().into_iter().map(|c| {
                    let name = c.corpus_name.clone();
                    view! {
                        <li>{c.corpus_name.clone()} " "
                            <button type="button" class="btn small danger" on:click=move |_| delete_corpus(name.clone())>{tr!(i18n, kb_admin.delete)}</button></li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add_corpus>
                <label for="kba-new-corpus">{tr!(i18n, kb_admin.new_corpus)}</label>
                <input id="kba-new-corpus" type="text" prop:value=move || new_corpus.get() on:input=move |ev| new_corpus.set(event_target_value(&ev))/>
                <button type="submit" class="btn">{tr!(i18n, kb_admin.add)}</button>
            </form>
        </section>
    }
}

#[component]
fn Categories() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let made = RwSignal::new(Vec::<Category>::new());
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::from("0"));
    let bot = move || ws.bot_id.get_untracked().unwrap_or_default();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CategoryInput { id: None, bot_id: bot(), parent_id: parent.get_untracked().trim().parse().ok(), name: name.get_untracked().trim().to_owned() };
        leptos::task::spawn_local(async move {
            match api.post::<CategorySaved, _>("/api/clink/kb/create_category", &body).await {
                Ok(saved) => {
                    ws.say(fill(t_string!(i18n, kb_admin.saved), &[("title", &saved.category.name)]));
                    name.set(String::new());
                    made.update(|m| m.push(saved.category));
                }
                Err(e) => ws.failed(i18n, &e),
            }
        });
    };
    let delete = move |id: i64| {
        let body = BotIdRequest { id, bot_id: bot() };
        leptos::task::spawn_local(async move {
            match api.post::<serde_json::Value, _>("/api/clink/kb/delete_category", &body).await {
                Ok(_) => made.update(|m| m.retain(|c| c.id != id)),
                Err(e) => ws.failed(i18n, &e),
            }
        });
    };
    view! {
        <section class="kba-categories" aria-labelledby="kba-categories-title">
            <h3 id="kba-categories-title">{tr!(i18n, kb_admin.categories)}</h3>
            <p class="muted">{tr!(i18n, kb_admin.categories_note)}</p>
            <form class="inline-form" on:submit=create>
                <label for="kba-category-name">{tr!(i18n, kb_admin.category_name)}</label>
                <input id="kba-category-name" type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="kba-category-parent">{tr!(i18n, kb_admin.parent_id)}</label>
                <input id="kba-category-parent" type="number" min="0" prop:value=move || parent.get() on:input=move |ev| parent.set(event_target_value(&ev))/>
                <button type="submit" class="btn">{tr!(i18n, kb_admin.add)}</button>
            </form>
            <ul id="kba-categories">
                {move || made.get().into_iter().map(|c| view! {
                    <li>{fill(t_string!(i18n, kb_admin.category_made), &[("name", &c.name), ("id", &c.id.to_string())])} " "
                        <button type="button" class="btn small danger" on:click=move |_| delete(c.id)>{tr!(i18n, kb_admin.delete)}</button></li>
                }).collect_view()}
            </ul>
        </section>
    }
}
