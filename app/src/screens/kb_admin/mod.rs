//! 知识库管理 / Knowledge-base administration (admins): Clink's repositories
//! and directories with their FAQs, the articles of the Q&A and document
//! libraries, the bot's knowledge, and the file library. Every list pages
//! through Clink; every change is one call through the edge, which checks it
//! against the doc's rules and signs it. Loaded on demand (`on_demand`).

mod articles;
mod bot;
mod files;
mod library;

use leptos::prelude::*;
use shared::view::knowledge::{directory_choices, DirectoryChoice};
use shared::view::labels::fill;
use shared::wire::clink::kb::{DirectoryList, Repository};

use crate::i18n::*;
use crate::services::api::{use_api, ApiFailure};

/// What the tabs share: the repository chosen, its directories, and one
/// status line that says how the last action went.
#[derive(Clone, Copy)]
pub(crate) struct Workspace {
    pub repo: RwSignal<Option<Repository>>,
    pub dirs: RwSignal<Vec<DirectoryChoice>>,
    /// The bot repository's id: the bot's knowledge is kept under it.
    pub bot_id: RwSignal<Option<String>>,
    pub said: RwSignal<String>,
}

impl Workspace {
    pub fn say(&self, text: impl Into<String>) {
        self.said.set(text.into());
    }

    /// "Not done: …", naming the field the edge named.
    pub fn failed(&self, i18n: I18nContext, e: &ApiFailure) {
        let why = match &e.field {
            Some(field) => format!("{field}: {e}"),
            None => e.to_string(),
        };
        self.say(fill(t_string!(i18n, kb_admin.failed), &[("why", &why)]));
    }

    pub fn field_error(&self, i18n: I18nContext, e: &shared::FieldError) {
        self.say(fill(t_string!(i18n, kb_admin.failed), &[("why", &fill(t_string!(i18n, kb_admin.field_error), &[("field", &e.field), ("why", &e.problem)]))]));
    }

    /// Asks before deleting `title` (the dialog is `widgets::dialog::ConfirmDelete`).
    pub fn confirm_delete(&self, i18n: I18nContext, confirm: RwSignal<Option<(String, Callback<()>)>>, title: &str, run: Callback<()>) {
        confirm.set(Some((fill(t_string!(i18n, kb_admin.delete_confirm), &[("title", title)]), run)));
    }

    pub fn directory_path(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.dirs.with(|d| d.iter().find(|c| c.id == id).map(|c| c.path.clone()))).unwrap_or_default()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Library,
    Articles,
    Bot,
    Files,
}

/// Admins only: anyone else is told so, and nothing is asked of the edge
/// (which refuses every management call to them anyway).
#[component]
pub fn KbAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<crate::services::session::Session>();
    let admin = session.info.with_untracked(|i| i.as_ref().is_some_and(|i| shared::wire::access::Op::ClinkManage.allows(&i.role)));
    if !admin {
        return view! {
            <section class="kb-admin" aria-labelledby="kb-admin-title">
                <h2 id="kb-admin-title">{tr!(i18n, kb_admin.heading)}</h2>
                <div class="error" role="alert" id="kb-admin-forbidden"><p>{tr!(i18n, kb_admin.forbidden)}</p></div>
            </section>
        }
        .into_any();
    }
    view! { <Workspaces/> }.into_any()
}

#[component]
fn Workspaces() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = Workspace { repo: RwSignal::new(None), dirs: RwSignal::new(vec![]), bot_id: RwSignal::new(None), said: RwSignal::new(String::new()) };
    provide_context(ws);
    // The chosen repository's directories, for every tab's choices.
    crate::effect(move || {
        let Some(id) = ws.repo.with(|r| r.as_ref().map(|r| r.id)) else { return ws.dirs.set(vec![]) };
        leptos::task::spawn_local(async move {
            match api.get::<DirectoryList>(&format!("/api/clink/aikb/list_directories?repositoryId={id}")).await {
                Ok(list) => ws.dirs.set(directory_choices(&list.result)),
                Err(e) => ws.failed(i18n, &e),
            }
        });
    });
    let tab = RwSignal::new(Tab::Library);
    let tab_button = move |which: Tab, id: &'static str, label: fn(I18nContext) -> &'static str| {
        view! {
            <button type="button" role="tab" id=id aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{move || label(i18n)}</button>
        }
    };
    view! {
        <section class="kb-admin" aria-labelledby="kb-admin-title">
            <h2 id="kb-admin-title">{tr!(i18n, kb_admin.heading)}</h2>
            <p class="muted">{tr!(i18n, kb_admin.intro)}</p>
            <p class="muted" id="kb-admin-repo">{move || ws.repo.with(|r| match r {
                Some(r) => format!("{} · {} ({})", t_string!(i18n, kb_admin.tab_library), r.name, r.id),
                None => t_string!(i18n, kb_admin.choose_repo).to_owned(),
            })}</p>
            <div class="tabs" role="tablist">
                {tab_button(Tab::Library, "kba-tab-library", |i| t_string!(i, kb_admin.tab_library))}
                {tab_button(Tab::Articles, "kba-tab-articles", |i| t_string!(i, kb_admin.tab_articles))}
                {tab_button(Tab::Bot, "kba-tab-bot", |i| t_string!(i, kb_admin.tab_bot))}
                {tab_button(Tab::Files, "kba-tab-files", |i| t_string!(i, kb_admin.tab_files))}
            </div>
            <p role="status" id="kb-admin-status" class="status-line">{move || ws.said.get()}</p>
            <div role="tabpanel" aria-labelledby="kba-tab-library" hidden=move || tab.get() != Tab::Library><library::Library/></div>
            <div role="tabpanel" aria-labelledby="kba-tab-articles" hidden=move || tab.get() != Tab::Articles><articles::Articles/></div>
            <div role="tabpanel" aria-labelledby="kba-tab-bot" hidden=move || tab.get() != Tab::Bot><bot::Bot/></div>
            <div role="tabpanel" aria-labelledby="kba-tab-files" hidden=move || tab.get() != Tab::Files><files::Files/></div>
        </section>
    }
}

/// A directory `<select>` over the chosen repository's directories.
#[component]
pub(crate) fn DirectorySelect(id: &'static str, value: RwSignal<Option<i64>>, #[prop(optional)] kind: Option<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    let ws = expect_context::<Workspace>();
    view! {
        <label for=id>{tr!(i18n, kb_admin.directory)}</label>
        <select id=id prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
            on:change=move |ev| value.set(event_target_value(&ev).parse().ok())>
            <option value="">"—"</option>
            {move || ws.dirs.get().into_iter().filter(|d| kind.is_none_or(|k| d.kind == k)).map(|d| view! {
                <option value=d.id.to_string() selected=value.get_untracked() == Some(d.id)>{d.path}</option>
            }).collect_view()}
        </select>
    }
}
