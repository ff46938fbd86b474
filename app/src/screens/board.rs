//! The real-time board: every case with its stage, the party being called,
//! the latest call status, who took it over, start time and duration.
//! Filters live in the URL; only the rows in view are rendered, so 10,000
//! cases stay smooth; live events patch rows as they arrive.

use leptos::prelude::*;
use shared::view::board::{BoardFilter, BoardSearch, SortKey, Taken};
use shared::view::render::board::{chips_html, more_filters_html, rows_html, ROW_HEIGHT};
use shared::view::render::format::stage_label;
use shared::view::render::{CASE_ROW, PICK, STATUS_BUTTON};
use shared::wire::mediation::{CallType, DisputeType, Stage};

use crate::services::board_data::{BoardState, Load};
use crate::widgets::markup;
use crate::i18n::*;
use crate::services::perf;
use crate::services::session::Session;

/// The board screen.
#[component]
pub fn Board() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<BoardState>();
    let session = expect_context::<Session>();
    let nav = crate::services::nav::use_nav();
    let search_query = nav.search();

    let url_filter = Memo::new(move |_| BoardFilter::from_query(&search_query.get()));
    // Typing updates this at once; the URL follows a moment later.
    let search = RwSignal::new(url_filter.get_untracked().query.clone());
    let filter = Memo::new(move |_| BoardFilter { query: search.get(), ..url_filter.get() });

    let set_filter = move |f: BoardFilter| {
        let q = f.to_query();
        let board = crate::services::embed::board_href();
        let url = if q.is_empty() { board.to_owned() } else { format!("{board}?{q}") };
        nav.navigate(&url, true);
    };
    // The URL follows the search box 400 ms after the last keystroke. The
    // timer is cancelled when the board goes away (a case opened within
    // those 400 ms): firing later it would read this screen's disposed
    // signals — a panic, a trap in the release build — and navigate back.
    let url_sync = StoredValue::new_local(None::<TimeoutHandle>);
    let on_search = move |value: String| {
        perf::mark("filter-apply:start");
        search.set(value);
        perf::measure_after_update("filter-apply", "filter-apply:start");
        if let Some(pending) = url_sync.try_get_value().flatten() {
            pending.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if let Some(f) = filter.try_get_untracked() {
                    set_filter(f);
                }
            },
            std::time::Duration::from_millis(400),
        );
        url_sync.set_value(handle.ok());
    };
    on_cleanup(move || {
        if let Some(pending) = url_sync.try_get_value().flatten() {
            pending.clear();
        }
    });

    // Rows and per-status counts come from one scan of the cases, or of the
    // last result when the search only grew.
    let search_state = StoredValue::new_local(BoardSearch::default());
    let filtered = Memo::new(move |_| {
        let me = session.user();
        let f = filter.get();
        state.records.with(|r| state.index.with(|idx| search_state.try_update_value(|s| s.filter(&f, r, idx, &me)).unwrap_or_default()))
    });
    let rows = Memo::new(move |_| filtered.with(|f| f.rows.clone()));
    let counts = Memo::new(move |_| filtered.with(|f| f.counts.clone()));
    let total = Memo::new(move |_| state.records.with(|r| r.len()));
    let no_cases = Memo::new(move |_| total.get() == 0);
    let load = Memo::new(move |_| state.load.get());
    // The cases picked for a bulk run (kept across filter changes).
    let selected = RwSignal::new(Vec::<String>::new());

    let change = move |edit: fn(&mut BoardFilter, String)| {
        move |ev: leptos::ev::Event| {
            perf::mark("filter-apply:start");
            let mut f = filter.get_untracked();
            edit(&mut f, event_target_value(&ev));
            set_filter(f);
            perf::measure_after_update("filter-apply", "filter-apply:start");
        }
    };
    let on_stage = change(|f, v| f.stage = (!v.is_empty()).then(|| Stage::parse(&v)));
    // Dispute kind, call type, last call's days, amounts: one HTML string and
    // one listener (shared::view::render::board::more_filters_html).
    let more = Memo::new(move |_| {
        let f = filter.get();
        BoardFilter { dispute: f.dispute, call_type: f.call_type, from: f.from, to: f.to, min_amount: f.min_amount, max_amount: f.max_amount, qa_below: f.qa_below, ..BoardFilter::default() }
    });
    let on_more = move |ev: leptos::ev::Event| {
        let Some(id) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()).map(|e| e.id()) else { return };
        let v = event_target_value(&ev);
        let mut f = filter.get_untracked();
        let some = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        match id.as_str() {
            "filter-dispute" => f.dispute = some(&v).map(|v| DisputeType::parse(&v)),
            "filter-type" => f.call_type = some(&v).map(|v| CallType::parse(&v)),
            "filter-from" => f.from = some(&v),
            "filter-to" => f.to = some(&v),
            "filter-min" => f.min_amount = v.parse().ok(),
            "filter-max" => f.max_amount = v.parse().ok(),
            "filter-qa" => f.qa_below = v.parse().ok(),
            _ => return,
        }
        set_filter(f);
    };
    let on_taken = change(|f, v| {
        f.taken = match v.as_str() {
            "yes" => Some(Taken::Yes),
            "no" => Some(Taken::No),
            _ => None,
        }
    });
    let on_sort = change(|f, v| f.sort = SortKey::parse(&v).unwrap_or_default());
    let on_mine = move |ev: leptos::ev::Event| {
        let mut f = filter.get_untracked();
        f.mine = event_target_checked(&ev);
        set_filter(f);
    };
    let pick_status = move |value: Option<String>| {
        perf::mark("filter-apply:start");
        let mut f = filter.get_untracked();
        f.status = if f.status == value { None } else { value };
        set_filter(f);
        perf::measure_after_update("filter-apply", "filter-apply:start");
    };
    let clear = move |_| {
        search.set(String::new());
        set_filter(BoardFilter::default());
    };

    // One button per status present, with its count; pressed when it filters.
    let chips = NodeRef::<leptos::html::Div>::new();
    markup::keep_rendered(chips, STATUS_BUTTON.attr, move || {
        let selected = filter.with(|f| f.status.clone());
        counts.with(|c| chips_html(i18n.strings(), c, selected.as_deref()))
    });

    let stages = [Stage::Accepted, Stage::Mediating, Stage::Agreement, Stage::FollowUp, Stage::Closed];

    view! {
        <section class="board-screen" aria-labelledby="board-title">
            <div class="board-head">
                <h2 id="board-title">{tr!(i18n, board.heading)}</h2>
                <p class="shown" role="status" aria-live="polite">
                    {t!(i18n, board.shown, shown = move || rows.with(|r| r.len()), total = move || total.get())}
                </p>
            </div>
            <form class="filters" role="search" aria-label=tr!(i18n, board.filters)
                on:submit=|ev| ev.prevent_default()>
                <label class="field grow">
                    <span>{tr!(i18n, board.search)}</span>
                    <input type="search" id="board-search" autocomplete="off"
                        placeholder=tr!(i18n, board.search_placeholder)
                        prop:value=move || search.get()
                        on:input=move |ev| on_search(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{tr!(i18n, board.stage)}</span>
                    <select id="filter-stage" on:change=on_stage
                        prop:value=move || filter.with(|f| f.stage.as_ref().map(|s| s.to_string()).unwrap_or_default())>
                        <option value="">{tr!(i18n, board.all)}</option>
                        {stages.into_iter().map(|s| {
                            let value = s.to_string();
                            view! { <option value=value>{crate::string_signal(move || stage_label(i18n.strings(), &s))}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="more-filters" on:change=on_more inner_html=move || more.with(|f| more_filters_html(i18n.strings(), f))></div>
                <label class="field">
                    <span>{tr!(i18n, board.taken)}</span>
                    <select id="filter-taken" on:change=on_taken
                        prop:value=move || match filter.with(|f| f.taken) { Some(Taken::Yes) => "yes", Some(Taken::No) => "no", None => "" }>
                        <option value="">{tr!(i18n, board.taken_any)}</option>
                        <option value="yes">{tr!(i18n, board.taken_yes)}</option>
                        <option value="no">{tr!(i18n, board.taken_no)}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{tr!(i18n, board.sort)}</span>
                    <select id="filter-sort" on:change=on_sort prop:value=move || filter.with(|f| f.sort.as_str())>
                        <option value="updated">{tr!(i18n, board.sort_updated)}</option>
                        <option value="started">{tr!(i18n, board.sort_started)}</option>
                        <option value="duration">{tr!(i18n, board.sort_duration)}</option>
                        <option value="case">{tr!(i18n, board.sort_case)}</option>
                    </select>
                </label>
                <label class="field check">
                    <input type="checkbox" id="filter-mine" on:change=on_mine prop:checked=move || filter.with(|f| f.mine)/>
                    <span>{tr!(i18n, board.mine)}</span>
                </label>
                <button type="button" class="btn ghost" on:click=clear>{tr!(i18n, board.clear)}</button>
            </form>
            <crate::widgets::presets::SavedFilters/>
            <crate::widgets::followups::DueToday/>
            <crate::widgets::bulk::BulkBar selected=selected/>
            <crate::widgets::turn_search::TurnSearch/>
            <div class="status-chips" role="group" aria-label=tr!(i18n, board.counts) node_ref=chips
                on:click=move |ev| {
                    if let Some(value) = markup::clicked(&ev, STATUS_BUTTON.selector).and_then(|c| c.get_attribute(STATUS_BUTTON.attr)) {
                        pick_status(Some(value));
                    }
                }></div>
            // Memos, so that this only changes view when the state does: the
            // table stays mounted while the filter changes what it shows.
            {move || match load.get() {
                Load::Loading => view! { <p class="loading" role="status">{tr!(i18n, loading)}</p> }.into_any(),
                Load::Failed(e) => view! {
                    <div class="error" role="alert">
                        <p>{tr!(i18n, board.error)}" "{e}</p>
                        <button class="btn" on:click=move |_| state.reload()>{tr!(i18n, retry)}</button>
                    </div>
                }.into_any(),
                Load::Ready if no_cases.get() => view! { <p class="empty">{tr!(i18n, board.no_cases)}</p> }.into_any(),
                Load::Ready => view! { <BoardTable rows=rows selected=selected/> }.into_any(),
            }}
        </section>
    }
}

/// The table, rendering only the rows in view.
#[component]
fn BoardTable(rows: Memo<Vec<usize>>, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<BoardState>();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let (scroll_top, set_scroll_top) = signal(0usize);
    let (viewport, set_viewport) = signal(800usize);

    // Read the height after a frame, when layout is already done: reading it
    // while the table is being built would force a layout of the whole page.
    // By then the board may be gone (another screen opened): nothing to read.
    let measure = move || {
        if let Some(el) = scroller.try_get_untracked().flatten() {
            set_viewport.try_set((el.client_height().max(0) as usize).max(200));
        }
    };
    crate::effect(move || {
        if scroller.get().is_some() {
            request_animation_frame(measure);
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // A new filter starts at the top.
    crate::effect(move || {
        rows.track();
        if scroll_top.get_untracked() != 0 {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            set_scroll_top.set(0);
        }
    });

    // A click anywhere on a row opens its case (one listener for all rows);
    // a click on the case link itself is the router's.
    let nav = crate::services::nav::use_nav();
    let open = move |ev: leptos::ev::MouseEvent| {
        if markup::clicked(&ev, "a").is_some() {
            return;
        }
        // A row's checkbox (mouse, or Space from the keyboard) selects it for a bulk run.
        if let Some(id) = markup::clicked(&ev, PICK.selector).and_then(|c| c.get_attribute(PICK.attr)) {
            selected.update(|s| match s.iter().position(|x| *x == id) {
                Some(i) => {
                    s.remove(i);
                }
                None => s.push(id),
            });
            return;
        }
        if let Some(case_id) = markup::clicked(&ev, CASE_ROW.selector).and_then(|row| row.get_attribute(CASE_ROW.attr)) {
            nav.navigate(&crate::services::embed::case_href(&case_id), false);
        }
    };

    let window = Memo::new(move |_| {
        let n = rows.with(|r| r.len());
        let first = (scroll_top.get() / ROW_HEIGHT).saturating_sub(10);
        let count = viewport.get() / ROW_HEIGHT + 20;
        (first.min(n), (first + count).min(n), n)
    });
    // The rows in view as one HTML string: far less code than a keyed list
    // of row components, and as fast to swap.
    let body = NodeRef::<leptos::html::Tbody>::new();
    markup::keep_rendered(body, CASE_ROW.attr, move || {
        let (start, end, _) = window.get();
        rows.with(|r| state.records.with(|records| selected.with(|s| rows_html(markup::ctx(i18n), records, r, start, end, s))))
    });

    view! {
        <div class="table-scroll" node_ref=scroller tabindex="0"
            aria-label=tr!(i18n, board.heading)
            on:scroll=move |ev| {
                let el: web_sys::HtmlElement = event_target(&ev);
                set_scroll_top.set(el.scroll_top().max(0) as usize);
            }>
            <table class="board" aria-rowcount=move || window.get().2 + 1>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col"><span class="sr-only">{tr!(i18n, bulk.pick_col)}</span></th>
                        <th scope="col">{tr!(i18n, board.col_case)}</th>
                        <th scope="col">{tr!(i18n, board.col_stage)}</th>
                        <th scope="col">{tr!(i18n, board.col_person)}</th>
                        <th scope="col">{tr!(i18n, board.col_status)}</th>
                        <th scope="col">{tr!(i18n, board.col_qa)}</th>
                        <th scope="col">{tr!(i18n, board.col_taken)}</th>
                        <th scope="col">{tr!(i18n, board.col_start)}</th>
                        <th scope="col">{tr!(i18n, board.col_duration)}</th>
                    </tr>
                </thead>
                <tbody on:click=open node_ref=body></tbody>
            </table>
        </div>
    }
}
