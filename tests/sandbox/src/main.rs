//! `sandbox [--deterministic] [--spec-literal] [--seed N] [--host H] [--mediation-port P] [--clink-port P] [--control-port P]`

use sandbox::{Ports, Settings};

fn usage() -> ! {
    eprintln!(
        "usage: sandbox [--deterministic] [--spec-literal] [--seed N] [--host 127.0.0.1] \
         [--mediation-port 8788] [--clink-port 8789] [--control-port 8790] \
         [--mediation-token TOKEN] [--webhook-url URL] [--edge-url URL]"
    );
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut settings = Settings {
        mediation_token: std::env::var("SANDBOX_MEDIATION_TOKEN").unwrap_or_else(|_| "sandbox-mediation-token".into()),
        seed: 42,
        deterministic: false,
        record_base: String::new(),
        webhook_url: std::env::var("SANDBOX_WEBHOOK_URL").ok(),
        clink_access_key_id: std::env::var("SANDBOX_CLINK_ACCESS_KEY_ID").unwrap_or_else(|_| "sandbox-access-key-id".into()),
        clink_access_key_secret: std::env::var("SANDBOX_CLINK_ACCESS_KEY_SECRET").unwrap_or_else(|_| "sandbox-clink-secret".into()),
        portal_secret: std::env::var("SANDBOX_PORTAL_SECRET").unwrap_or_else(|_| "sandbox-session-secret-change-me".into()),
        edge_url: "http://127.0.0.1:8787".into(),
        spec_literal: false,
    };
    let mut ports = Ports::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--deterministic" => settings.deterministic = true,
            "--spec-literal" => settings.spec_literal = true,
            "--seed" => settings.seed = value().parse().unwrap_or_else(|_| usage()),
            "--host" => ports.host = value(),
            "--mediation-port" => ports.mediation = value().parse().unwrap_or_else(|_| usage()),
            "--clink-port" => ports.clink = value().parse().unwrap_or_else(|_| usage()),
            "--control-port" => ports.control = value().parse().unwrap_or_else(|_| usage()),
            "--mediation-token" => settings.mediation_token = value(),
            "--webhook-url" => settings.webhook_url = Some(value()),
            "--edge-url" => settings.edge_url = value().trim_end_matches('/').to_owned(),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    if ports.host != "127.0.0.1" && ports.host != "localhost" {
        eprintln!("[sandbox] refusing to listen on {}: the sandbox is for 127.0.0.1 only", ports.host);
        std::process::exit(2);
    }
    let running = match sandbox::start(settings, ports).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("[sandbox] cannot listen: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "[sandbox] ready: mediation http://{} clink http://{} control http://{}",
        running.mediation, running.clink, running.control
    );
    let _ = tokio::signal::ctrl_c().await;
}
