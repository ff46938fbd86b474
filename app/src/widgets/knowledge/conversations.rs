//! My saved Q&A conversations (Clink keeps them per user; the edge fills in
//! my Clink user id and lets only me name mine): continue, rename, delete.

use leptos::prelude::*;
use shared::view::knowledge::Pager;
use shared::view::labels::fill;
use shared::wire::clink::kb::{Conversation, ConversationPage, DeleteConversationRequest, UpdateConversationRequest};

use super::Panel;
use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::dialog::ConfirmDelete;
use crate::widgets::pager::PagerNav;

const PER_PAGE: i64 = 10;

#[component]
pub fn Conversations() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let panel = expect_context::<Panel>();
    let pager = RwSignal::new(Pager::first(PER_PAGE));
    let list = RwSignal::new(None::<Result<Vec<Conversation>, String>>);
    let said = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<String>);
    let new_title = RwSignal::new(String::new());
    let confirm = RwSignal::new(None::<(String, Callback<()>)>);
    let load = move |at: Pager| {
        list.set(None);
        leptos::task::spawn_local(async move {
            match api.get::<ConversationPage>(&format!("/api/clink/aikb/list_conversations?offset={}&limit={}", at.offset, at.limit)).await {
                Ok(page) => {
                    pager.set(at.with_total(page.total_count));
                    list.set(Some(Ok(page.result)));
                }
                Err(e) => list.set(Some(Err(e.to_string()))),
            }
        });
    };
    load(Pager::first(PER_PAGE));
    let rename = move |id: String| {
        let body = UpdateConversationRequest { conversation_id: id, title: new_title.get_untracked().trim().to_owned() };
        if let Err(e) = body.validate() {
            return said.set(fill(t_string!(i18n, kb_admin.field_error), &[("field", t_string!(i18n, kb.rename_label)), ("why", &e.problem)]));
        }
        said.set(t_string!(i18n, kb.working).to_owned());
        leptos::task::spawn_local(async move {
            match api.post::<serde_json::Value, _>("/api/clink/aikb/update_conversation", &body).await {
                Ok(_) => {
                    said.set(t_string!(i18n, kb.renamed).to_owned());
                    renaming.set(None);
                    load(pager.get_untracked());
                }
                Err(e) => said.set(e.to_string()),
            }
        });
    };
    let delete = move |id: String, title: String| {
        let run = Callback::new(move |_| {
            let body = DeleteConversationRequest { conversation_id: id.clone() };
            said.set(t_string!(i18n, kb.working).to_owned());
            leptos::task::spawn_local(async move {
                match api.post::<serde_json::Value, _>("/api/clink/aikb/delete_conversation", &body).await {
                    Ok(_) => {
                        said.set(t_string!(i18n, kb.deleted).to_owned());
                        load(pager.get_untracked());
                    }
                    Err(e) => said.set(e.to_string()),
                }
            });
        });
        confirm.set(Some((fill(t_string!(i18n, kb.delete_confirm), &[("title", &title)]), run)));
    };
    view! {
        <h3 class="sr-only">{tr!(i18n, kb.conversations)}</h3>
        <p role="status" id="kb-conversations-said">{move || said.get()}</p>
        {move || match list.get() {
            None => view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <crate::widgets::load::LoadFailed message=e retry=move |_| load(pager.get_untracked())/> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p class="empty">{tr!(i18n, kb.no_conversations)}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="conversations" id="kb-conversations">
                    {items.into_iter().map(|c| {
                        let id = c.conversation_id.to_string();
                        let title = c.title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| t_string!(i18n, kb.untitled).to_owned());
                        let (open_id, rename_id, save_id, delete_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                        let (open_title, rename_title, delete_title) = (title.clone(), title.clone(), title.clone());
                        let editing = { let id = id.clone(); move || renaming.get().as_deref() == Some(id.as_str()) };
                        view! {
                            <li data-conversation-id=id.clone()>
                                <span class="title">{title}</span>
                                <small class="muted">{c.update_time.or(c.create_time).unwrap_or_default()}</small>
                                <button type="button" class="btn small" on:click=move |_| panel.reopen.set(Some((open_id.clone(), open_title.clone())))>{tr!(i18n, kb.reopen)}</button>
                                <button type="button" class="btn small ghost" on:click=move |_| { new_title.set(rename_title.clone()); renaming.set(Some(rename_id.clone())); }>{tr!(i18n, kb.rename)}</button>
                                <button type="button" class="btn small danger" on:click=move |_| delete(delete_id.clone(), delete_title.clone())>{tr!(i18n, kb.delete)}</button>
                                <Show when=editing.clone()>
                                    <form class="inline-form" on:submit={ let save_id = save_id.clone(); move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); rename(save_id.clone()); } }>
                                        <label for="kb-rename">{tr!(i18n, kb.rename_label)}</label>
                                        <input id="kb-rename" type="text" maxlength="10" prop:value=move || new_title.get() on:input=move |ev| new_title.set(event_target_value(&ev))/>
                                        <button type="submit" class="btn small primary">{tr!(i18n, kb.save)}</button>
                                    </form>
                                </Show>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        <PagerNav id="kb-conversations-pager" pager=pager go=move |at| load(at)/>
        <ConfirmDelete what=confirm/>
    }
}
