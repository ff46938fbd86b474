//! Settings read from the Worker's environment (README "Configuration").
//! A missing or invalid setting fails only the routes that need it, with a
//! 500 naming the setting; a secret's value never appears in a message.

use shared::wire::clink::sign::{BaseUrl, Credentials, Expires, Signer};
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

/// The Clink signer, from `CLINK_BASE_URL`, `CLINK_ACCESS_KEY_ID`,
/// `CLINK_EXPIRES` and the `CLINK_ACCESS_KEY_SECRET` secret.
pub fn clink_signer(env: &Env) -> Result<Signer, FieldError> {
    let base = optional_var(env, "CLINK_BASE_URL").unwrap_or_else(|| "https://api-bj.clink.cn".to_owned());
    let base = BaseUrl::parse(&base)?;
    let expires = match optional_var(env, "CLINK_EXPIRES") {
        Some(v) => Expires::parse(&v)?,
        None => Expires::default(),
    };
    let credentials = Credentials::new(&var(env, "CLINK_ACCESS_KEY_ID")?, &secret(env, "CLINK_ACCESS_KEY_SECRET")?)?;
    Ok(Signer::new(credentials, expires, base))
}

/// What a session token must satisfy: `SESSION_MAX_TTL` (seconds, 60 to
/// 86400; default 12 h), and `SESSION_ISSUER` / `SESSION_AUDIENCE` when set.
pub fn session_policy(env: &Env) -> Result<shared::wire::session::Policy, FieldError> {
    let mut policy = shared::wire::session::Policy::default();
    if let Some(v) = optional_var(env, "SESSION_MAX_TTL") {
        policy.max_lifetime_secs = v
            .parse::<i64>()
            .ok()
            .filter(|s| (60..=86_400).contains(s))
            .ok_or_else(|| FieldError::new("SESSION_MAX_TTL", "must be a number of seconds from 60 to 86400"))?;
    }
    policy.issuer = optional_var(env, "SESSION_ISSUER");
    policy.audience = optional_var(env, "SESSION_AUDIENCE");
    Ok(policy)
}

/// Where recordings may be fetched from (`RECORDING_ORIGINS`, comma-separated
/// `scheme://host[:port]`, `*.` for subdomains). Outside the sandbox only
/// https origins count; the default is Alibaba Cloud OSS over https.
pub fn recording_origins(env: &Env) -> Result<Vec<shared::wire::origins::AllowedOrigin>, FieldError> {
    let setting = optional_var(env, "RECORDING_ORIGINS").unwrap_or_else(|| "https://*.aliyuncs.com".to_owned());
    let list = shared::wire::origins::parse_allow_list(&setting).map_err(|e| FieldError::new("RECORDING_ORIGINS", e))?;
    if !sandbox_mode(env) && list.iter().any(|o| !o.https) {
        return Err(FieldError::new("RECORDING_ORIGINS", "must list https origins only outside the sandbox"));
    }
    Ok(list)
}

/// Whether the sandbox configuration is active (`SANDBOX = "true"`): only then
/// does the demo sign-in exist.
pub fn sandbox_mode(env: &Env) -> bool {
    optional_var(env, "SANDBOX").is_some_and(|v| v == "true")
}

/// A plain variable (`[vars]` in wrangler.toml).
pub fn var(env: &Env, name: &str) -> Result<String, FieldError> {
    optional_var(env, name).ok_or_else(|| FieldError::new(name, "is not set"))
}

pub fn optional_var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string().trim().to_owned()).filter(|v| !v.is_empty())
}

/// A secret (`wrangler secret put`, or `.dev.vars` locally).
pub fn secret(env: &Env, name: &str) -> Result<String, FieldError> {
    let value = env.secret(name).map(|v| v.to_string()).unwrap_or_default();
    if value.is_empty() {
        return Err(FieldError::new(name, "is not set (a secret: `wrangler secret put` or .dev.vars)"));
    }
    Ok(value)
}
