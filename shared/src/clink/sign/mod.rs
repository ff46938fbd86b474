//! Clink request signing, with the official SDK's semantics
//! (see `../shared/specs/README.md`): escaping → canonical query → string to
//! sign → HMAC-SHA1 → Base64 → URL-encode.
//!
//! The signer is pure: the caller passes the current time, so the same inputs
//! always give the same URL and tests can use known-answer vectors.

pub mod canonical;
pub mod escape;
pub mod settings;
pub mod signature;

pub use canonical::{Method, QueryValue};
pub use settings::{BaseUrl, Credentials, Expires};
pub use crate::time::{format_timestamp, parse_timestamp};

use crate::error::FieldError;

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

        let mut params = canonical::flatten(query);
        params.push(("AccessKeyId".to_owned(), self.credentials.access_key_id().to_owned()));
        params.push(("Expires".to_owned(), self.expires.seconds().to_string()));
        params.push(("Timestamp".to_owned(), format_timestamp(now_unix)));

        let canonical_query = canonical::canonical_query(&params)?;
        let path = self.base.path_for(api_path);
        let string_to_sign = canonical::string_to_sign(method, self.base.host(), &path, &canonical_query);
        let signature = signature::hmac_sha1_base64(self.credentials.secret(), &string_to_sign);

        let mut url = format!("{}://{}{}?{}&Signature=", self.base.scheme(), self.base.host(), path, canonical_query);
        escape::java_url_encode_into(&signature, &mut url);
        Ok(SignedRequest { method, url, string_to_sign, signature })
    }
}
