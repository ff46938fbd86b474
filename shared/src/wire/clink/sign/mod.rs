//! Clink request signing, with the official SDK's semantics
//! (see `../shared/specs/README.md`): escaping → canonical query → string to
//! sign → HMAC-SHA1 → Base64 → URL-encode.
//!
//! The signer is pure: the caller passes the current time, so the same inputs
//! always give the same URL and tests can use known-answer vectors.

// The steps are private: the surface is the signer, its settings and the
// request types below (as aws-sigv4 keeps its canonical-request internals).
mod canonical;
mod escape;
mod settings;
mod signature;

pub use canonical::{Method, QueryValue};
pub use settings::{BaseUrl, Credentials, Expires};
pub use crate::time::{format_timestamp, parse_timestamp};

use crate::wire::error::FieldError;

/// The common parameters every Clink request carries.
pub const COMMON_PARAMS: [&str; 4] = ["AccessKeyId", "Expires", "Timestamp", "Signature"];

/// A request ready to send: the full URL with the signature appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: Method,
    pub url: String,
    pub string_to_sign: String,
    /// Base64 signature before URL-encoding.
    pub signature: String,
}

/// Everything needed to sign requests for one Clink tenant.
#[derive(Clone, Debug)]
pub struct Signer {
    pub credentials: Credentials,
    pub expires: Expires,
    pub base: BaseUrl,
}

impl Signer {
    pub fn new(credentials: Credentials, expires: Expires, base: BaseUrl) -> Self {
        Self { credentials, expires, base }
    }

    /// Signs a request for `api_path` (e.g. `/aikb/list_faqs`) at `now_unix`
    /// (seconds since the epoch, UTC).
    ///
    /// For GET, `query` holds the API's own parameters. For POST, the API's
    /// parameters travel in the JSON body and only the common parameters are
    /// in the query and the string to sign, so a non-empty `query` is an error.
    pub fn sign(
        &self,
        method: Method,
        api_path: &str,
        query: &[(String, QueryValue)],
        now_unix: i64,
    ) -> Result<SignedRequest, FieldError> {
        if !api_path.starts_with('/') {
            return Err(FieldError::new("path", format!("must start with '/', got {api_path:?}")));
        }
        if method == Method::Post && !query.is_empty() {
            return Err(FieldError::new(
                "query",
                "a POST carries only the common parameters in its query; put the rest in the JSON body",
            ));
        }
        if let Some((name, _)) = query.iter().find(|(n, _)| COMMON_PARAMS.contains(&n.as_str())) {
            return Err(FieldError::new("query", format!("{name} is set by the signer, not the caller")));
        }

        let flat = if query.iter().any(|(_, v)| matches!(v, QueryValue::Many(_))) { canonical::flatten(query) } else { vec![] };
        let timestamp = format_timestamp(now_unix);
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(query.len().max(flat.len()) + 3);
        if flat.is_empty() {
            params.extend(query.iter().filter_map(|(n, v)| match v {
                QueryValue::One(v) => Some((n.as_str(), v.as_str())),
                QueryValue::Many(_) => None,
            }));
        } else {
            params.extend(flat.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        }
        params.push(("AccessKeyId", self.credentials.access_key_id()));
        params.push(("Expires", self.expires.as_text()));
        params.push(("Timestamp", timestamp.as_str()));

        // The string to sign is METHOD + host + path + "?" + query; the URL
        // reuses its query part.
        let path = self.base.path_for(api_path);
        let mut string_to_sign = String::with_capacity(256);
        string_to_sign.push_str(method.as_str());
        string_to_sign.push_str(self.base.host());
        string_to_sign.push_str(&path);
        string_to_sign.push('?');
        let query_start = string_to_sign.len();
        canonical::canonical_query_into(params.into_iter(), &mut string_to_sign)?;
        let signature = self.credentials.key().sign(&string_to_sign);

        let scheme = self.base.scheme();
        let mut url = String::with_capacity(scheme.len() + string_to_sign.len() + 48);
        url.push_str(scheme);
        url.push_str("://");
        url.push_str(self.base.host());
        url.push_str(&path);
        url.push('?');
        url.push_str(&string_to_sign[query_start..]);
        url.push_str("&Signature=");
        escape::java_url_encode_into(&signature, &mut url);
        Ok(SignedRequest { method, url, string_to_sign, signature })
    }
}
