//! The board's session token: a standard JWT (HS256) that the host portal
//! mints with `BOARD_SESSION_SECRET`, so any portal's JWT library can make one.
//!
//! Claims: `sub` (user name, sent upstream on takeover), `name` (display
//! name), `role` (`mediator`, `supervisor`, `admin`), `exp` (seconds since the
//! epoch) and optionally `iat`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::open_enum::open_enum;

open_enum! {
    /// What a user may do.
    pub enum Role {
        /// Works cases; sees phone numbers masked.
        Mediator = "mediator",
        /// Oversees mediators; sees full phone numbers.
        Supervisor = "supervisor",
        /// Also manages the knowledge base and replays dead letters.
        Admin = "admin",
    }
}

impl Role {
    /// Whether the role may see full phone numbers.
    pub fn sees_phone_numbers(&self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }

    /// Whether the role may open what the upstreams sent as it came (an
    /// unreadable transcript, earlier versions of a note record): those can
    /// hold numbers and names that are masked elsewhere.
    pub fn sees_raw_data(&self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Role::Admin)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub name: Option<String>,
    pub role: Role,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// Not before (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// One audience or several (JWT allows both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
}

/// A JWT `aud`: a string or an array of strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

// Read by the value's type, not through serde's untagged buffering (which
// would put its whole buffering machinery in the board's bundle, where the
// claims are read too).
impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OneOrMany;
        impl<'de> serde::de::Visitor<'de> for OneOrMany {
            type Value = Audience;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Audience, E> {
                Ok(Audience::One(v.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                let mut all = Vec::new();
                while let Some(a) = seq.next_element::<String>()? {
                    all.push(a);
                }
                Ok(Audience::Many(all))
            }
        }
        d.deserialize_any(OneOrMany)
    }
}

impl Audience {
    pub fn contains(&self, wanted: &str) -> bool {
        match self {
            Audience::One(a) => a == wanted,
            Audience::Many(all) => all.iter().any(|a| a == wanted),
        }
    }
}

/// What the edge requires of a token beyond its signature (README
/// "Security model"; settings `SESSION_MAX_TTL`, `SESSION_ISSUER`,
/// `SESSION_AUDIENCE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The longest lifetime accepted: `exp - iat`, and `exp - now`.
    pub max_lifetime_secs: i64,
    /// Clock skew allowed for `nbf` and `iat` (the portal's clock may run ahead).
    pub leeway_secs: i64,
    /// When set, `iss` must be exactly this.
    pub issuer: Option<String>,
    /// When set, `aud` must name this.
    pub audience: Option<String>,
}

/// 12 hours: a working day.
pub const DEFAULT_MAX_LIFETIME_SECS: i64 = 12 * 3600;
/// 60 seconds of clock skew.
pub const LEEWAY_SECS: i64 = 60;

impl Default for Policy {
    fn default() -> Self {
        Self { max_lifetime_secs: DEFAULT_MAX_LIFETIME_SECS, leeway_secs: LEEWAY_SECS, issuer: None, audience: None }
    }
}

impl Claims {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(&self.sub)
    }
}

/// Why a token was refused. The messages are safe to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthError {
    Missing,
    Malformed(&'static str),
    UnsupportedAlgorithm(String),
    BadSignature,
    Expired,
    NotYetValid,
    IssuedInTheFuture,
    LifetimeTooLong { max_secs: i64 },
    WrongIssuer,
    WrongAudience,
    InvalidClaims(String),
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::Missing => f.write_str("缺少登录凭证 (missing bearer token)"),
            AuthError::Malformed(what) => write!(f, "登录凭证格式错误 (malformed token: {what})"),
            AuthError::UnsupportedAlgorithm(alg) => write!(f, "登录凭证算法不受支持 (alg {alg:?}; only HS256)"),
            AuthError::BadSignature => f.write_str("登录凭证签名无效 (bad signature)"),
            AuthError::Expired => f.write_str("登录已过期,请重新登录 (token expired)"),
            AuthError::NotYetValid => f.write_str("登录凭证尚未生效 (token not valid yet: nbf)"),
            AuthError::IssuedInTheFuture => f.write_str("登录凭证签发时间在未来 (iat is in the future)"),
            AuthError::LifetimeTooLong { max_secs } => write!(f, "登录凭证有效期过长 (lifetime over {max_secs} s)"),
            AuthError::WrongIssuer => f.write_str("登录凭证签发方不符 (wrong iss)"),
            AuthError::WrongAudience => f.write_str("登录凭证不是签发给本看板的 (wrong aud)"),
            AuthError::InvalidClaims(why) => write!(f, "登录凭证内容无效 (invalid claims: {why})"),
        }
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

/// Mints a token (the demo sign-in and tests; portals use their own library).
pub fn mint(claims: &Claims, secret: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(sign(secret, &signing_input));
    format!("{signing_input}.{signature}")
}

fn sign(secret: &[u8], input: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(input.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Verifies a token at `now` (seconds since the epoch) under the default [`Policy`].
pub fn verify(token: &str, secret: &[u8], now: i64) -> Result<Claims, AuthError> {
    verify_with(token, secret, now, &Policy::default())
}

/// Verifies a token at `now` (seconds since the epoch): signature (HS256),
/// then the claims. An empty secret verifies nothing.
pub fn verify_with(token: &str, secret: &[u8], now: i64, policy: &Policy) -> Result<Claims, AuthError> {
    if secret.is_empty() {
        return Err(AuthError::BadSignature);
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(AuthError::Missing);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(AuthError::Malformed("expected three dot-separated parts"));
    };
    let header: Header = URL_SAFE_NO_PAD
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(AuthError::Malformed("header"))?;
    if header.alg != "HS256" {
        return Err(AuthError::UnsupportedAlgorithm(header.alg));
    }
    let signature = URL_SAFE_NO_PAD.decode(s).map_err(|_| AuthError::Malformed("signature"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&signature).map_err(|_| AuthError::BadSignature)?;
    let payload = URL_SAFE_NO_PAD.decode(p).map_err(|_| AuthError::Malformed("payload"))?;
    let claims: Claims = serde_json::from_slice(&payload).map_err(|e| AuthError::InvalidClaims(e.to_string()))?;
    if claims.sub.trim().is_empty() {
        return Err(AuthError::InvalidClaims("sub is empty".into()));
    }
    if !claims.role.is_known() {
        return Err(AuthError::InvalidClaims(format!("unknown role {:?}", claims.role.as_str())));
    }
    if claims.exp <= now {
        return Err(AuthError::Expired);
    }
    if claims.nbf.is_some_and(|nbf| nbf > now + policy.leeway_secs) {
        return Err(AuthError::NotYetValid);
    }
    if claims.iat.is_some_and(|iat| iat > now + policy.leeway_secs) {
        return Err(AuthError::IssuedInTheFuture);
    }
    let lifetime = claims.exp - claims.iat.unwrap_or(now).min(now);
    if lifetime > policy.max_lifetime_secs + policy.leeway_secs {
        return Err(AuthError::LifetimeTooLong { max_secs: policy.max_lifetime_secs });
    }
    if let Some(wanted) = &policy.issuer {
        if claims.iss.as_deref() != Some(wanted.as_str()) {
            return Err(AuthError::WrongIssuer);
        }
    }
    if let Some(wanted) = &policy.audience {
        if !claims.aud.as_ref().is_some_and(|a| a.contains(wanted)) {
            return Err(AuthError::WrongAudience);
        }
    }
    Ok(claims)
}

/// Constant-time comparison of two byte strings (length is not hidden).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims { sub: "zhangmin".into(), name: Some("张敏".into()), role: Role::Mediator, exp, ..Claims::default() }
    }

    #[test]
    fn times_and_lifetime_are_honoured() {
        let now = 1_800_000_000;
        let ok = |c: &Claims| verify(&mint(c, b"k"), b"k", now);
        let mut c = claims(now + 3600);
        c.iat = Some(now);
        assert!(ok(&c).is_ok());
        // The portal's clock may run up to a minute ahead.
        c.iat = Some(now + 30);
        c.nbf = Some(now + 30);
        assert!(ok(&c).is_ok());
        c.nbf = Some(now + 120);
        assert_eq!(ok(&c), Err(AuthError::NotYetValid));
        c.nbf = None;
        c.iat = Some(now + 120);
        assert_eq!(ok(&c), Err(AuthError::IssuedInTheFuture));
        // Ten years: refused, with or without iat.
        let decade = now + 10 * 365 * 86_400;
        assert_eq!(ok(&claims(decade)), Err(AuthError::LifetimeTooLong { max_secs: DEFAULT_MAX_LIFETIME_SECS }));
        let mut c = claims(decade);
        c.iat = Some(now);
        assert_eq!(ok(&c), Err(AuthError::LifetimeTooLong { max_secs: DEFAULT_MAX_LIFETIME_SECS }));
        // An old iat with a near exp is a long lifetime too.
        let mut c = claims(now + 60);
        c.iat = Some(now - 13 * 3600);
        assert!(matches!(ok(&c), Err(AuthError::LifetimeTooLong { .. })));
        assert!(ok(&claims(now + DEFAULT_MAX_LIFETIME_SECS)).is_ok());
    }

    #[test]
    fn issuer_and_audience_are_checked_when_configured() {
        let now = 1_800_000_000;
        let policy = Policy { issuer: Some("https://portal.example.cn".into()), audience: Some("mediation-board".into()), ..Policy::default() };
        let mut c = claims(now + 600);
        assert_eq!(verify_with(&mint(&c, b"k"), b"k", now, &policy), Err(AuthError::WrongIssuer));
        c.iss = Some("https://portal.example.cn".into());
        assert_eq!(verify_with(&mint(&c, b"k"), b"k", now, &policy), Err(AuthError::WrongAudience));
        c.aud = Some(Audience::Many(vec!["other".into(), "mediation-board".into()]));
        assert!(verify_with(&mint(&c, b"k"), b"k", now, &policy).is_ok());
        c.aud = Some(Audience::One("other".into()));
        assert_eq!(verify_with(&mint(&c, b"k"), b"k", now, &policy), Err(AuthError::WrongAudience));
        // Without the settings, neither is required.
        assert!(verify(&mint(&claims(now + 600), b"k"), b"k", now).is_ok());
    }

    #[test]
    fn audiences_read_as_a_string_or_a_list() {
        assert_eq!(serde_json::from_str::<Audience>(r#""a""#).unwrap(), Audience::One("a".into()));
        assert_eq!(serde_json::from_str::<Audience>(r#"["a","b"]"#).unwrap(), Audience::Many(vec!["a".into(), "b".into()]));
        for bad in ["1", "[1]", "{}", "null"] {
            assert!(serde_json::from_str::<Audience>(bad).is_err(), "{bad}");
        }
        let c = Claims { aud: Some(Audience::Many(vec!["x".into()])), ..claims(5) };
        assert_eq!(serde_json::from_str::<Claims>(&serde_json::to_string(&c).unwrap()).unwrap(), c);
    }

    #[test]
    fn an_empty_secret_verifies_nothing() {
        let t = mint(&claims(2_000), b"");
        assert_eq!(verify(&t, b"", 1_000), Err(AuthError::BadSignature));
    }

    #[test]
    fn round_trip_and_failures() {
        let t = mint(&claims(2_000), b"secret");
        assert_eq!(verify(&t, b"secret", 1_000).unwrap(), claims(2_000));
        assert_eq!(verify(&t, b"other", 1_000), Err(AuthError::BadSignature));
        assert_eq!(verify(&t, b"secret", 2_000), Err(AuthError::Expired));
        assert_eq!(verify("", b"secret", 0), Err(AuthError::Missing));
        assert!(matches!(verify("a.b", b"secret", 0), Err(AuthError::Malformed(_))));
        // alg "none" is refused even without a signature.
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), t.split('.').nth(1).unwrap());
        assert!(matches!(verify(&none, b"secret", 0), Err(AuthError::UnsupportedAlgorithm(_))));
        // A tampered payload fails the signature.
        let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
        let mut c = claims(2_000);
        c.role = Role::Admin;
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap());
        assert_eq!(verify(&parts.join("."), b"secret", 1_000), Err(AuthError::BadSignature));
    }

    /// A token made independently with Python's hmac/base64/json (what any
    /// JWT library produces for these claims).
    #[test]
    fn accepts_a_token_from_another_implementation() {
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ3YW5nbGVpIiwibmFtZSI6Ilx1NzM4Ylx1NzhjYSIsInJvbGUiOiJzdXBlcnZpc29yIiwiZXhwIjo0MTAyNDQ0ODAwfQ.7V8mJDu7etObbXPYwGpBs9sgmBSaLgPwMk6lgadX9Ng";
        // Its exp is 2100-01-01; checked an hour before it, within the lifetime cap.
        let c = verify(token, b"portal-secret", 4_102_444_800 - 3600).unwrap();
        assert_eq!(c.sub, "wanglei");
        assert_eq!(c.display_name(), "王磊");
        assert_eq!(c.role, Role::Supervisor);
        assert!(c.role.sees_phone_numbers());
    }
}
