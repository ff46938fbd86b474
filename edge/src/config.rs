//! Settings read from the Worker's environment. A missing or invalid setting
//! fails only the routes that need it, with a 500 naming the setting; a
//! secret's value never appears in a message.

use shared::FieldError;
use worker::Env;

/// Where the mediation backend is and how to authenticate to it.
pub struct MediationConfig {
    pub base: String,
    pub token: String,
}

impl MediationConfig {
    pub fn from_env(env: &Env) -> Result<Self, FieldError> {
        let base = var(env, "MEDIATION_API_BASE")?;
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(FieldError::new("MEDIATION_API_BASE", "must start with https:// or http://"));
        }
        Ok(Self { base: base.trim_end_matches('/').to_owned(), token: secret(env, "MEDIATION_API_TOKEN")? })
    }
}

/// A plain variable (`[vars]` in wrangler.toml).
pub fn var(env: &Env, name: &str) -> Result<String, FieldError> {
    let value = env.var(name).map(|v| v.to_string()).unwrap_or_default();
    if value.trim().is_empty() {
        return Err(FieldError::new(name, "is not set"));
    }
    Ok(value.trim().to_owned())
}

/// A secret (`wrangler secret put`, or `.dev.vars` locally).
pub fn secret(env: &Env, name: &str) -> Result<String, FieldError> {
    let value = env.secret(name).map(|v| v.to_string()).unwrap_or_default();
    if value.is_empty() {
        return Err(FieldError::new(name, "is not set (a secret: `wrangler secret put` or .dev.vars)"));
    }
    Ok(value)
}
