//! The sandbox upstream: local stand-ins for the mediation backend, Clink and
//! the note agent, so the product runs and is tested without credentials or
//! network. The edge reaches it only through its normal configuration.

pub mod audio;
pub mod autopilot;
pub mod clink;
pub mod clock;
pub mod control;
pub mod knowledge;
pub mod log;
pub mod mediation;
pub mod notes;
pub mod portal;
pub mod rng;
pub mod script;
pub mod seed;
pub mod state;
pub mod world;

use std::net::SocketAddr;

use tokio::net::TcpListener;

pub use state::{Sandbox, Settings, Shared};

/// Where each upstream listens.
#[derive(Clone, Debug)]
pub struct Ports {
    pub host: String,
    pub mediation: u16,
    pub clink: u16,
    pub control: u16,
}

impl Default for Ports {
    fn default() -> Self {
        Self { host: "127.0.0.1".into(), mediation: 8788, clink: 8789, control: 8790 }
    }
}

/// A running sandbox: the bound addresses and its state.
pub struct Running {
    pub mediation: SocketAddr,
    pub clink: SocketAddr,
    pub control: SocketAddr,
    pub state: Shared,
}

/// Binds every listener, then serves in the background. Port 0 picks a free port.
pub async fn start(mut settings: Settings, ports: Ports) -> std::io::Result<Running> {
    let mediation = TcpListener::bind((ports.host.as_str(), ports.mediation)).await?;
    let clink = TcpListener::bind((ports.host.as_str(), ports.clink)).await?;
    let control = TcpListener::bind((ports.host.as_str(), ports.control)).await?;
    let addrs = (mediation.local_addr()?, clink.local_addr()?, control.local_addr()?);
    if settings.record_base.is_empty() {
        settings.record_base = format!("http://{}", addrs.0);
    }
    let state = Shared::new(Sandbox::new(settings));

    let serve = |listener: TcpListener, app: axum::Router, name: &'static str| {
        let app = app.layer(axum::middleware::from_fn(move |req, next| log::line(name, req, next)));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("[sandbox] {name} server stopped: {e}");
            }
        });
    };
    serve(mediation, mediation::router(state.clone()), "mediation");
    serve(clink, clink::router(state.clone()), "clink");
    serve(control, control::router(state.clone()).merge(portal::router(state.clone())), "control");
    if !state.lock().config.deterministic {
        // The demo starts with results for the calls already made, once the
        // edge is up (a failed push is retried per the note agent's rule).
        let mut s = state.lock();
        let jobs: Vec<String> = s.world.calls.values().filter(|c| c.settled).map(|c| c.job_id.clone()).collect();
        for (i, job) in jobs.iter().enumerate() {
            notes::push_for(&mut s, job, std::time::Duration::from_millis(15_000 + 150 * i as u64));
        }
    }
    tokio::spawn(notes::run(state.clone()));
    tokio::spawn(autopilot::run(state.clone()));
    Ok(Running { mediation: addrs.0, clink: addrs.1, control: addrs.2, state })
}
