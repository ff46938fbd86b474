//! The file library of the chosen repository: list (title, pages), upload and
//! replace with progress (multipart through the edge, which checks the size
//! and the type), preview through the media URL, download, delete.

use leptos::prelude::*;
use shared::view::knowledge::{file_size, Pager};
use shared::view::labels::fill;
use shared::wire::clink::kb::{FileAttachmentRequest, FilePage, FileRecord, FilesDeleteRequest, FilesListRequest};
use shared::wire::clink::rules::{MAX_UPLOAD_BYTES, UPLOAD_TYPES};
use wasm_bindgen::JsCast;

use super::{DirectorySelect, Workspace};
use crate::widgets::pager::PagerNav;
use crate::widgets::dialog::ConfirmDelete;
use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::markup::by_id;

const PER_PAGE: i64 = 10;

/// The file chosen in an `<input type=file>`.
fn chosen_file(input_id: &str) -> Option<web_sys::File> {
    by_id(input_id).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0))
}

fn clear_file(input_id: &str) {
    if let Some(i) = by_id(input_id).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        i.set_value("");
    }
}

/// Saves bytes under `name` (an object URL on a link with `download`).
fn save_bytes(name: &str, bytes: &[u8]) {
    let array = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes).into());
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&array) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("a").ok()).and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn Files() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let pager = RwSignal::new(Pager::first(PER_PAGE));
    let title = RwSignal::new(String::new());
    let files = RwSignal::new(None::<Result<Vec<FileRecord>, String>>);
    let enterprise = RwSignal::new(String::new());
    let load = move |at: Pager| {
        let Some(kb_id) = ws.repo.with_untracked(|r| r.as_ref().map(|r| r.id)) else { return files.set(Some(Ok(vec![]))) };
        let t = title.get_untracked().trim().to_owned();
        let body = FilesListRequest { kb_id, directory_id: None, title: (!t.is_empty()).then_some(t), offset: Some(at.offset), limit: Some(at.limit) };
        files.set(None);
        leptos::task::spawn_local(async move {
            match api.post::<FilePage, _>("/api/clink/kb/files_list", &body).await {
                Ok(page) => {
                    pager.set(at.with_total(page.total_count));
                    if enterprise.get_untracked().is_empty() {
                        if let Some(id) = page.data.iter().find_map(|f| f.enterprise_id.clone()) {
                            enterprise.set(id);
                        }
                    }
                    files.set(Some(Ok(page.data)));
                }
                Err(e) => files.set(Some(Err(e.to_string()))),
            }
        });
    };
    crate::effect(move || {
        ws.repo.track();
        load(Pager::first(PER_PAGE));
    });
    let confirm = RwSignal::new(None::<(String, Callback<()>)>);
    let replacing = RwSignal::new(None::<FileRecord>);
    let preview = move |f: FileRecord| {
        let path = format!("/api/clink/aikb/describe_file_media_url?fileId={}&inline=true", shared::wire::url::encode_component(&f.id.to_string()));
        crate::widgets::knowledge::open_media(api, path, move |m| ws.say(m));
    };
    let download = move |f: FileRecord| {
        let body = FileAttachmentRequest { file_path: f.file_path.clone().unwrap_or_default(), file_name: f.title.clone() };
        ws.say(t_string!(i18n, kb_admin.downloading));
        leptos::task::spawn_local(async move {
            match api.post_for_bytes("/api/clink/kb/files_attachment", &body).await {
                Ok(bytes) => {
                    save_bytes(&f.title, &bytes);
                    ws.say(format!("{} · {}", f.title, file_size(bytes.len() as u64)));
                }
                Err(e) => ws.failed(i18n, &e),
            }
        });
    };
    let delete = move |f: FileRecord| {
        let name = f.title.clone();
        let run = Callback::new(move |_| {
            let body = FilesDeleteRequest { ids: vec![f.id.to_string()], file_paths: vec![f.file_path.clone().unwrap_or_default()] };
            let name = f.title.clone();
            ws.say(t_string!(i18n, kb_admin.deleting));
            leptos::task::spawn_local(async move {
                match api.post::<serde_json::Value, _>("/api/clink/kb/files_delete", &body).await {
                    Ok(_) => {
                        ws.say(fill(t_string!(i18n, kb_admin.deleted), &[("title", &name)]));
                        load(pager.get_untracked());
                    }
                    Err(e) => ws.failed(i18n, &e),
                }
            });
        });
        ws.confirm_delete(i18n, confirm, &name, run);
    };
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load(Pager::first(PER_PAGE));
    };
    view! {
        <div class="kba-files">
            <Upload enterprise=enterprise replacing=replacing on_done=Callback::new(move |_| load(pager.get_untracked()))/>
            <form class="filters" on:submit=search>
                <label for="kba-file-title">{tr!(i18n, kb_admin.file_name)}</label>
                <input id="kba-file-title" type="search" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                <button type="submit" class="btn">{tr!(i18n, kb_admin.apply)}</button>
            </form>
            {move || match files.get() {
                None => view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <crate::widgets::load::LoadFailed message=e retry=move |_| load(pager.get_untracked())/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted" id="kba-no-files">{tr!(i18n, kb_admin.no_files)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="kba-table" id="kba-files">
                        <thead><tr>
                            <th scope="col">{tr!(i18n, kb_admin.file_name)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.file_type)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.file_size)}</th>
                            <th scope="col">{tr!(i18n, kb_admin.actions)}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|f| {
                                let size = f.file_size.as_ref().and_then(|s| s.to_string().parse::<u64>().ok()).map(file_size).unwrap_or_default();
                                let (p, d, r, x) = (f.clone(), f.clone(), f.clone(), f.clone());
                                view! {
                                    <tr data-file-id=f.id.to_string()>
                                        <td class="title">{f.title.clone()}</td>
                                        <td>{f.file_type.clone().unwrap_or_default()}</td>
                                        <td>{size}</td>
                                        <td class="row-actions">
                                            <button type="button" class="btn small ghost" on:click=move |_| preview(p.clone())>{tr!(i18n, kb_admin.preview)}</button>
                                            <button type="button" class="btn small ghost" on:click=move |_| download(d.clone())>{tr!(i18n, kb_admin.download)}</button>
                                            <button type="button" class="btn small ghost" on:click=move |_| replacing.set(Some(r.clone()))>{tr!(i18n, kb_admin.replace)}</button>
                                            <button type="button" class="btn small danger" on:click=move |_| delete(x.clone())>{tr!(i18n, kb_admin.delete)}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <PagerNav id="kba-files-pager" pager=pager go=move |at| load(at)/>
            <ConfirmDelete what=confirm/>
        </div>
    }
}

/// Uploading a new file, or replacing `replacing` when set; progress shown.
#[component]
fn Upload(enterprise: RwSignal<String>, replacing: RwSignal<Option<FileRecord>>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ws = expect_context::<Workspace>();
    let directory = RwSignal::new(None::<i64>);
    let description = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<f64>);
    let accept = UPLOAD_TYPES.iter().map(|(ext, _)| format!(".{ext}")).collect::<Vec<_>>().join(",");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let need = |field: &str| ws.say(fill(t_string!(i18n, kb_admin.need_field), &[("field", field)]));
        let Some(file) = chosen_file("kba-upload-file") else { return ws.say(t_string!(i18n, kb_admin.need_file)) };
        if file.size() > MAX_UPLOAD_BYTES as f64 {
            return ws.say(t_string!(i18n, kb_admin.too_big));
        }
        let Ok(form) = web_sys::FormData::new() else { return };
        let replace = replacing.get_untracked();
        let path = match &replace {
            Some(old) => {
                let _ = form.append_with_str("id", &old.id.to_string());
                let _ = form.append_with_str("filePath", old.file_path.as_deref().unwrap_or_default());
                let d = description.get_untracked();
                if !d.trim().is_empty() {
                    let _ = form.append_with_str("description", d.trim());
                }
                "/api/clink/kb/files_update"
            }
            None => {
                let Some(kb_id) = ws.repo.with_untracked(|r| r.as_ref().map(|r| r.id)) else { return ws.say(t_string!(i18n, kb_admin.choose_repo)) };
                let Some(dir) = directory.get_untracked() else { return need(t_string!(i18n, kb_admin.directory)) };
                let e = enterprise.get_untracked().trim().to_owned();
                if e.is_empty() {
                    return need(t_string!(i18n, kb_admin.enterprise_id));
                }
                let _ = form.append_with_str("kbId", &kb_id.to_string());
                let _ = form.append_with_str("enterpriseId", &e);
                let _ = form.append_with_str("directoryId", &dir.to_string());
                "/api/clink/kb/files"
            }
        };
        let name = file.name();
        let _ = form.append_with_blob_and_filename("file", &file, &name);
        progress.set(Some(0.0));
        ws.say(fill(t_string!(i18n, kb_admin.uploading), &[("percent", "0")]));
        leptos::task::spawn_local(async move {
            let shown = move |share: f64| {
                progress.set(Some(share));
                ws.say(fill(t_string!(i18n, kb_admin.uploading), &[("percent", &format!("{:.0}", share * 100.0))]));
            };
            match api.upload::<serde_json::Value>(path, &form, shown).await {
                Ok(_) => {
                    ws.say(fill(t_string!(i18n, kb_admin.uploaded), &[("name", &name)]));
                    clear_file("kba-upload-file");
                    replacing.set(None);
                    description.set(String::new());
                    on_done.run(());
                }
                Err(e) => ws.failed(i18n, &e),
            }
            progress.set(None);
        });
    };
    view! {
        <form class="kba-upload" id="kba-upload-form" aria-labelledby="kba-upload-title" on:submit=submit>
            <h3 id="kba-upload-title">{move || match replacing.get() {
                Some(f) => fill(t_string!(i18n, kb_admin.replace_with), &[("title", &f.title)]),
                None => t_string!(i18n, kb_admin.upload).to_owned(),
            }}</h3>
            <Show when=move || replacing.with(|r| r.is_none()) fallback=move || view! {
                <label for="kba-upload-description">{tr!(i18n, kb_admin.description)}</label>
                <input id="kba-upload-description" type="text" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
            }>
                <DirectorySelect id="kba-upload-directory" value=directory kind="FILE"/>
                <label for="kba-upload-enterprise">{tr!(i18n, kb_admin.enterprise_id)}</label>
                <input id="kba-upload-enterprise" type="text" prop:value=move || enterprise.get() on:input=move |ev| enterprise.set(event_target_value(&ev))/>
            </Show>
            <label for="kba-upload-file">{tr!(i18n, kb_admin.choose_file)}</label>
            <input id="kba-upload-file" type="file" accept=accept/>
            <button type="submit" class="btn primary" id="kba-upload-submit" disabled=move || progress.get().is_some()>{tr!(i18n, kb_admin.upload_submit)}</button>
            {move || replacing.get().is_some().then(|| view! { <button type="button" class="btn" on:click=move |_| replacing.set(None)>{tr!(i18n, cancel)}</button> })}
            {move || progress.get().map(|p| view! {
                <progress id="kba-upload-progress" max="100" value=format!("{:.0}", p * 100.0) aria-label=move || t_string!(i18n, kb_admin.upload)></progress>
            })}
        </form>
    }
}
