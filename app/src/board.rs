//! The board: every case with its stage, the party being called, the latest
//! call status, start time and duration.

use leptos::prelude::*;
use shared::api::BoardResponse;
use shared::mediation::BoardRecord;

use crate::api;

/// Loads the board from the edge and shows it.
#[component]
pub fn Board() -> impl IntoView {
    let board = LocalResource::new(|| api::get_json::<BoardResponse>("/api/board"));
    view! {
        <section aria-labelledby="board-title">
            <h2 id="board-title">"实时看板"</h2>
            <Suspense fallback=|| view! { <p role="status">"加载中…"</p> }>
                {move || board.get().map(|result| match result {
                    Ok(b) => view! { <BoardTable cases=b.cases/> }.into_any(),
                    Err(e) => view! {
                        <div role="alert" class="error">
                            <p>"看板加载失败:" {e.to_string()}</p>
                            <button on:click=move |_| board.refetch()>"重试"</button>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// One row per case.
#[component]
pub fn BoardTable(cases: Vec<BoardRecord>) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="empty">"暂无案件"</p> }.into_any();
    }
    view! {
        <table class="board">
            <thead>
                <tr>
                    <th scope="col">"案件编号"</th>
                    <th scope="col">"案件"</th>
                    <th scope="col">"阶段"</th>
                    <th scope="col">"呼叫对象"</th>
                    <th scope="col">"呼叫状态"</th>
                    <th scope="col">"开始时间"</th>
                    <th scope="col">"时长(秒)"</th>
                </tr>
            </thead>
            <tbody>
                {cases.into_iter().map(|c| {
                    let person = c.call_person().map(|p| p.name.clone()).unwrap_or_default();
                    let status = c.call_status.as_ref().map(|s| s.to_string()).unwrap_or_default();
                    view! {
                        <tr data-case-id=c.case_id.clone()>
                            <td>{c.case_id.clone()}</td>
                            <td>{c.case_name.clone()}</td>
                            <td>{c.stage.to_string()}</td>
                            <td>{person}</td>
                            <td>{status}</td>
                            <td>{c.start_time.clone()}</td>
                            <td>{c.duration.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
