//! `performance.mark` / `measure` around the work that must stay fast (board
//! render, filter apply, transcript render), read by the benchmarks.

pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

fn measure(name: &str, start_mark: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let end = format!("{name}:end");
        let _ = p.mark(&end);
        let _ = p.measure_with_start_mark_and_end_mark(name, start_mark, &end);
    }
}

/// Measures from the start mark until the next frame has been laid out and
/// painted (a task queued from `requestAnimationFrame` runs after the paint).
pub fn measure_after_paint(name: &'static str, start_mark: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(move || measure(name, start_mark), std::time::Duration::ZERO);
    });
}

/// Measures from the start mark until the reactive updates it caused have
/// reached the DOM (without waiting for the next frame).
pub fn measure_after_update(name: &'static str, start_mark: &'static str) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        measure(name, start_mark);
    });
}
