fn main() {
    // Built with panic=immediate-abort (the release build), a panic traps at
    // once and never reaches a hook: leave its formatting code out.
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::shell::Shell);
}
