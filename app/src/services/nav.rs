//! Navigation between the board's pages, without a router library: the
//! current URL as signals, [`Nav::navigate`] through the History API, and one
//! document-level click listener that turns clicks on links to the board's
//! own pages into navigations (so plain `<a href>` works everywhere).
//!
//! Why not leptos_router: for our three flat pages it added about 49 KB
//! gzipped to the bundle (a quarter of the size budget); the pages and their
//! paths live in `shared::view::route`.

use leptos::prelude::*;
use shared::view::route::{Page, Screen};
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub struct Nav {
    path: RwSignal<String>,
    /// `location.search`, with its `?` (empty when there is none).
    search: RwSignal<String>,
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

impl Nav {
    /// The page the URL names (tracked).
    pub fn page(&self) -> Page {
        self.path.with(|p| Page::parse(p))
    }

    pub fn search(&self) -> ReadSignal<String> {
        self.search.read_only()
    }

    /// Goes to `url` (a path with optional query). `replace` rewrites the
    /// current history entry and keeps the scroll position (filters);
    /// otherwise a new entry is added and the page starts at the top.
    pub fn navigate(&self, url: &str, replace: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(history) = window.history() else {
            return;
        };
        let done = if replace {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        };
        if done.is_err() {
            // Not a URL of this origin: let the browser go there.
            let _ = window.location().set_href(url);
            return;
        }
        self.sync();
        if !replace {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Reads the URL the browser shows (after a navigation or Back/Forward).
    fn sync(&self) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        if self.path.with_untracked(|p| *p != path) {
            self.path.set(path);
        }
        if self.search.with_untracked(|s| *s != search) {
            self.search.set(search);
        }
    }
}

/// Starts following the URL and provides [`Nav`] to everything below.
pub fn provide() -> Nav {
    let nav = Nav {
        path: RwSignal::new(String::new()),
        search: RwSignal::new(String::new()),
    };
    nav.sync();
    let back = window_event_listener(leptos::ev::popstate, move |_| nav.sync());
    let links = window_event_listener(leptos::ev::click, move |ev| {
        if let Some(url) = own_link(&ev) {
            ev.prevent_default();
            nav.navigate(&url, false);
        }
    });
    on_cleanup(move || {
        back.remove();
        links.remove();
    });
    provide_context(nav);
    nav
}

/// The URL of a plain left click on a link to one of the board's pages;
/// `None` for anything the browser should handle itself (new tab, download,
/// another origin, an in-page anchor, a file or API link).
fn own_link(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let a = target
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let href = a.get_attribute("href")?;
    if href.starts_with('#')
        || a.has_attribute("download")
        || a.get_attribute("target")
            .is_some_and(|t| !t.is_empty() && t != "_self")
    {
        return None;
    }
    if a.origin() != web_sys::window()?.location().origin().ok()? {
        return None;
    }
    let path = a.pathname();
    if Page::parse(&path) == Page::NotFound {
        return None;
    }
    Some(format!("{path}{}{}", a.search(), a.hash()))
}

/// The screen for the current URL; changes only when the screen does (not
/// when, say, the case id does).
pub fn screen(nav: Nav) -> Memo<Screen> {
    Memo::new(move |_| nav.page().screen())
}

/// A parameter of the current page. It keeps its last value while the URL
/// names a page without it, so a screen being left never sees it empty.
pub fn param(nav: Nav, read: fn(&Page) -> Option<&str>) -> Memo<String> {
    Memo::new(move |last: Option<&String>| {
        let page = nav.page();
        match read(&page) {
            Some(value) => value.to_owned(),
            None => last.cloned().unwrap_or_default(),
        }
    })
}
