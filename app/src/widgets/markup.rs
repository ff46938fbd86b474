//! Putting the HTML that `shared::view::html` builds into the page, and finding
//! what was clicked in it (one listener serves all items). Lists that change
//! while someone works in them (live board rows, status chips) keep keyboard
//! focus on the same item when their content is replaced.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Renders `html()` into `target` whenever it changes. Items are told apart
/// by their `key` attribute (`data-case-id`, `data-status`, …): if focus was
/// inside an item, it moves to the same kind of element in the item with
/// the same key afterwards.
pub fn keep_rendered<E>(target: NodeRef<E>, key: &'static str, html: impl Fn() -> String + 'static)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    crate::effect(move || {
        let html = html();
        if let Some(el) = target.get() {
            replace_keeping_focus(el.unchecked_ref(), &html, key);
        }
    });
}

/// The element matching `selector` that a click landed in (the target or
/// its nearest ancestor).
pub fn clicked(ev: &web_sys::MouseEvent, selector: &str) -> Option<web_sys::Element> {
    ev.target()?.dyn_into::<web_sys::Element>().ok()?.closest(selector).ok()?
}

fn replace_keeping_focus(el: &web_sys::Element, html: &str, key: &str) {
    let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).filter(|a| el.contains(Some(a.as_ref())));
    let was = focused.as_ref().and_then(|a| {
        let item = a.closest(&format!("[{key}]")).ok()??;
        Some((item.get_attribute(key)?, a.tag_name()))
    });
    el.set_inner_html(html);
    let Some((value, tag)) = was else { return };
    let Ok(items) = el.query_selector_all(&format!("[{key}]")) else { return };
    for i in 0..items.length() {
        let Some(item) = items.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if item.get_attribute(key).as_deref() != Some(value.as_str()) {
            continue;
        }
        let same = if item.tag_name() == tag { Some(item.clone()) } else { item.query_selector(&tag).ok().flatten() };
        if let Some(target) = same.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = target.focus();
        }
        return;
    }
}

/// What the renderers of `shared::view::render` need: the labels of the
/// current locale (a reactive read) and whether links go to `/embed…`.
pub fn ctx(i18n: crate::i18n::I18nContext) -> shared::view::render::Ctx<'static> {
    shared::view::render::Ctx { t: i18n.strings(), embedded: crate::services::embed::is_embed_path() }
}

/// The element with this id in the page.
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The value of the form field with this id (input, textarea or select) in
/// an HTML string the app put into the page; empty when there is none.
pub fn value_of(id: &str) -> String {
    let Some(el) = by_id(id) else { return String::new() };
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else {
        el.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
    }
}

/// Whether the checkbox `#id` is ticked (false when there is none).
pub fn checked(id: &str) -> bool {
    by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

/// Saves `text` as a file named `name` (a link with `download`, clicked).
pub fn download(name: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(a) = doc.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else { return };
    a.set_href(&format!("data:text/csv;charset=utf-8,{}", js_sys::encode_uri_component(text)));
    a.set_download(name);
    a.click();
}
