//! An accessible modal dialog: labelled, focus moves in when it opens, Tab
//! stays inside, Escape closes it, and focus returns to where it was.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

#[component]
pub fn Dialog(
    /// Shown as the dialog's title and used as its accessible name.
    title: Signal<&'static str>,
    /// Called when the user closes it (Escape, the close button, the backdrop).
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let panel = NodeRef::<leptos::html::Div>::new();
    let id = format!("dlg-{}", (js_sys::Math::random() * 1e9) as u64);
    let title_id = format!("{id}-title");
    let title_id_ref = title_id.clone();
    let previous = send_wrapper::SendWrapper::new(
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    on_cleanup(move || {
        if let Some(el) = previous.take() {
            let _ = el.focus();
        }
    });
    crate::effect(move || {
        if let Some(p) = panel.get() {
            let first = p.query_selector(FOCUSABLE).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            match first {
                Some(el) => {
                    let _ = el.focus();
                }
                None => {
                    let _ = p.focus();
                }
            }
        }
    });
    // Escape closes it wherever focus is (content inside may have been replaced).
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_close.run(());
        }
    });
    on_cleanup(move || escape.remove());
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Tab" {
            return;
        }
        let Some(p) = panel.get_untracked() else { return };
        let Ok(list) = p.query_selector_all(FOCUSABLE) else { return };
        if list.length() == 0 {
            return;
        }
        let first = list.item(0).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
        let last = list.item(list.length() - 1).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
        let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
        let at = |el: &Option<web_sys::HtmlElement>| match (el, &active) {
            (Some(e), Some(a)) => e.unchecked_ref::<web_sys::Element>() == a,
            _ => false,
        };
        if ev.shift_key() && at(&first) {
            ev.prevent_default();
            if let Some(l) = last {
                let _ = l.focus();
            }
        } else if !ev.shift_key() && at(&last) {
            ev.prevent_default();
            if let Some(f) = first {
                let _ = f.focus();
            }
        }
    };
    view! {
        <div class="backdrop" on:click=move |_| on_close.run(())></div>
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=title_id_ref tabindex="-1"
            node_ref=panel on:keydown=on_key>
            <header class="dialog-head">
                <h2 id=title_id>{title}</h2>
                <button type="button" class="icon" aria-label=move || crate::i18n::t_string!(i18n, close).to_string()
                    on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <div class="dialog-body">{children()}</div>
        </div>
    }
}

/// Asks before something is deleted: shows the message of `what` ("Delete
/// “…”? This cannot be undone.") and runs its callback on 删除.
#[component]
pub fn ConfirmDelete(what: RwSignal<Option<(String, Callback<()>)>>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let close = Callback::new(move |_| what.set(None));
    view! {
        <Show when=move || what.with(|w| w.is_some())>
            <Dialog title=crate::i18n::tr!(i18n, kb.delete) on_close=close>
                <p>{move || what.with(|w| w.as_ref().map(|(message, _)| message.clone()).unwrap_or_default())}</p>
                <div class="dialog-actions">
                    <button type="button" class="btn" on:click=move |_| close.run(())>{crate::i18n::tr!(i18n, cancel)}</button>
                    <button type="button" class="btn danger" id="confirm-delete" on:click=move |_| {
                        if let Some((_, run)) = what.get_untracked() {
                            what.set(None);
                            run.run(());
                        }
                    }>{crate::i18n::tr!(i18n, kb.delete)}</button>
                </div>
            </Dialog>
        </Show>
    }
}
