//! `performance.mark` / `measure` around the work that must stay fast (board
//! render, filter apply, transcript render), read by the benchmarks.

pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Measures from the start mark to now, after the next frame has painted.
pub fn measure_after_paint(name: &'static str, start_mark: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let end = format!("{name}:end");
            let _ = p.mark(&end);
            let _ = p.measure_with_start_mark_and_end_mark(name, start_mark, &end);
        }
    });
}
