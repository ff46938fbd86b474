//! What a signer needs to know: the credentials, the signature lifetime and
//! where requests go. Each value is checked once, when the settings are built.

use crate::wire::error::FieldError;

/// Clink's documented bounds for `Expires`, in seconds.
pub const EXPIRES_MIN: u32 = 1;
pub const EXPIRES_MAX: u32 = 86_400;
/// The official SDK's default `Expires`.
pub const EXPIRES_DEFAULT: u32 = 600;

/// The access key pair issued by Clink. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    key: super::signature::SigningKey,
}

impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        self.access_key_id == other.access_key_id && self.access_key_secret == other.access_key_secret
    }
}

impl Eq for Credentials {}

impl Credentials {
    pub fn new(access_key_id: &str, access_key_secret: &str) -> Result<Self, FieldError> {
        if access_key_id.trim().is_empty() {
            return Err(FieldError::new("CLINK_ACCESS_KEY_ID", "must not be empty"));
        }
        if access_key_secret.is_empty() {
            return Err(FieldError::new("CLINK_ACCESS_KEY_SECRET", "must not be empty"));
        }
        Ok(Self {
            access_key_id: access_key_id.trim().to_owned(),
            access_key_secret: access_key_secret.to_owned(),
            key: super::signature::SigningKey::new(access_key_secret.as_bytes()),
        })
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub(crate) fn key(&self) -> &super::signature::SigningKey {
        &self.key
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .finish()
    }
}

/// Signature lifetime in seconds, within Clink's 1..=86400. Keeps its
/// decimal text too, since every signature carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expires {
    seconds: u32,
    text: [u8; 5],
    len: u8,
}

impl Expires {
    pub fn new(seconds: u32) -> Result<Self, FieldError> {
        if (EXPIRES_MIN..=EXPIRES_MAX).contains(&seconds) {
            let digits = seconds.to_string();
            let mut text = [0u8; 5];
            text[..digits.len()].copy_from_slice(digits.as_bytes());
            Ok(Self { seconds, text, len: digits.len() as u8 })
        } else {
            Err(FieldError::new(
                "CLINK_EXPIRES",
                format!("must be between {EXPIRES_MIN} and {EXPIRES_MAX} seconds, got {seconds}"),
            ))
        }
    }

    /// Parses the `CLINK_EXPIRES` setting.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let seconds: u32 = text.trim().parse().map_err(|_| {
            FieldError::new("CLINK_EXPIRES", format!("must be a whole number of seconds, got {text:?}"))
        })?;
        Self::new(seconds)
    }

    pub fn seconds(self) -> u32 {
        self.seconds
    }

    /// The value as sent (`"600"`).
    pub fn as_text(&self) -> &str {
        std::str::from_utf8(&self.text[..self.len as usize]).expect("ASCII digits")
    }
}

impl Default for Expires {
    fn default() -> Self {
        Self::new(EXPIRES_DEFAULT).expect("the default is in range")
    }
}

/// A Clink base URL such as `https://api-bj.clink.cn` or `http://127.0.0.1:8789`.
///
/// The host that goes into the string to sign keeps its port when the URL
/// has one, as the SDK does with `URL.getHost()` + port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: String,
    host: String,
    path_prefix: String,
}

impl BaseUrl {
    pub fn parse(url: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "CLINK_BASE_URL";
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| FieldError::new(FIELD, format!("must start with https:// or http://, got {url:?}")))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(FieldError::new(FIELD, format!("scheme must be https or http, got {scheme:?}")));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(FieldError::new(FIELD, "has no host"));
        }
        if authority.contains('@') || authority.contains('?') || authority.contains('#') {
            return Err(FieldError::new(FIELD, "must be scheme://host[:port][/path] without credentials, query or fragment"));
        }
        if let Some((_, port)) = authority.rsplit_once(':') {
            if port.is_empty() || port.parse::<u16>().is_err() {
                return Err(FieldError::new(FIELD, format!("has an invalid port {port:?}")));
            }
        }
        if path.contains('?') || path.contains('#') {
            return Err(FieldError::new(FIELD, "must not contain a query or fragment"));
        }
        Ok(Self {
            scheme,
            host: authority.to_ascii_lowercase(),
            path_prefix: path.trim_end_matches('/').to_owned(),
        })
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Host as signed: with `:port` when the URL names one.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The full request path for an API path such as `/aikb/list_faqs`.
    pub fn path_for<'a>(&self, api_path: &'a str) -> std::borrow::Cow<'a, str> {
        if self.path_prefix.is_empty() {
            std::borrow::Cow::Borrowed(api_path)
        } else {
            std::borrow::Cow::Owned(format!("{}{}", self.path_prefix, api_path))
        }
    }

    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_bounds() {
        assert!(Expires::new(0).is_err());
        assert!(Expires::new(1).is_ok());
        assert!(Expires::new(86_400).is_ok());
        let err = Expires::new(86_401).unwrap_err();
        assert_eq!(err.field, "CLINK_EXPIRES");
        assert!(Expires::parse("sixty").is_err());
        assert_eq!(Expires::parse(" 60 ").unwrap().seconds(), 60);
        assert_eq!(Expires::default().seconds(), 600);
    }

    #[test]
    fn base_url_keeps_port_and_prefix() {
        let b = BaseUrl::parse("https://api-bj.clink.cn").unwrap();
        assert_eq!(b.host(), "api-bj.clink.cn");
        assert_eq!(b.path_for("/cc/online"), "/cc/online");
        let b = BaseUrl::parse("http://127.0.0.1:8789/clink/").unwrap();
        assert_eq!(b.host(), "127.0.0.1:8789");
        assert_eq!(b.path_for("/aikb/list_faqs"), "/clink/aikb/list_faqs");
        assert_eq!(b.origin(), "http://127.0.0.1:8789");
    }

    #[test]
    fn base_url_rejects_nonsense() {
        for bad in ["api-bj.clink.cn", "ftp://x", "https://", "https://h:port", "https://u:p@h", "https://h/?q"] {
            let err = BaseUrl::parse(bad).unwrap_err();
            assert_eq!(err.field, "CLINK_BASE_URL", "{bad}");
        }
    }

    #[test]
    fn debug_hides_secret() {
        let c = Credentials::new("id", "very-secret").unwrap();
        assert!(!format!("{c:?}").contains("very-secret"));
    }
}
