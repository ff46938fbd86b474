//! Checks a Clink request's signature, independently of the project's signer:
//! the query is decoded here, the canonical string rebuilt from what was
//! actually sent (every query parameter but `Signature`, whatever the method),
//! and the timestamp parsed with chrono.

use base64::Engine as _;
use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Why a request was refused: the Clink error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
}

fn refuse(code: &'static str, status: u16, message: impl Into<String>) -> Refusal {
    Refusal { code, status, message: message.into() }
}

/// Splits a raw query string into decoded (name, value) pairs.
pub fn decode_query(raw: &str) -> Result<Vec<(String, String)>, Refusal> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (n, v) = part.split_once('=').unwrap_or((part, ""));
            match (unescape(n), unescape(v)) {
                (Some(n), Some(v)) => Ok((n, v)),
                _ => Err(refuse("InvalidParameter", 400, format!("参数编码无效: {part}"))),
            }
        })
        .collect()
}

fn unescape(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = [it.next()?, it.next()?];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            _ => bytes.push(b),
        }
    }
    String::from_utf8(bytes).ok()
}

/// Java URLEncoder's rules, written out again on purpose.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The outcome of a successful check.
#[derive(Debug)]
pub struct Verified {
    pub access_key_id: String,
}

/// Verifies method + host + path + query against the tenant's key pair, at `now`.
pub fn verify(
    method: &str,
    host: &str,
    path: &str,
    raw_query: &str,
    keys: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Verified, Refusal> {
    let params = decode_query(raw_query)?;
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());

    let Some(access_key_id) = get("AccessKeyId").filter(|v| !v.is_empty()) else {
        return Err(refuse("MissingAuthenticationToken", 400, "请求必须包含有效的访问密钥ID。"));
    };
    let Some((_, secret)) = keys.iter().find(|(id, _)| id == access_key_id) else {
        return Err(refuse("AuthFailure", 401, "身份验证失败。未知的访问密钥ID"));
    };
    for name in ["Expires", "Timestamp", "Signature"] {
        if get(name).is_none_or(str::is_empty) {
            return Err(refuse("MissingParameter", 400, format!("请求缺少必需参数: {name}")));
        }
    }
    let expires: i64 = match get("Expires").unwrap().parse() {
        Ok(n) if (1..=86_400).contains(&n) => n,
        _ => return Err(refuse("InvalidParameter", 400, "Expires 必须是 1 到 86400 之间的整数")),
    };
    let timestamp = NaiveDateTime::parse_from_str(get("Timestamp").unwrap(), "%Y-%m-%dT%H:%M:%SZ")
        .map_err(|_| refuse("InvalidParameter", 400, "Timestamp 格式应为 yyyy-MM-ddTHH:mm:ssZ"))?
        .and_utc();
    let age = (now - timestamp).num_seconds();
    if age > expires {
        return Err(refuse("SignaturesExpired", 403, "签名过期"));
    }
    if age < -900 {
        return Err(refuse("SignaturesExpired", 403, "签名过期:Timestamp 晚于服务器时间"));
    }

    let mut signed: Vec<(String, String)> =
        params.iter().filter(|(n, _)| n != "Signature").map(|(n, v)| (escape(n), escape(v))).collect();
    signed.sort();
    let joined: Vec<String> = signed.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let to_sign = format!("{method}{host}{path}?{}", joined.join("&"));
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(to_sign.as_bytes());
    let presented = base64::engine::general_purpose::STANDARD
        .decode(get("Signature").unwrap())
        .map_err(|_| refuse("AuthFailure", 401, "身份验证失败。签名格式无效"))?;
    mac.verify_slice(&presented).map_err(|_| refuse("AuthFailure", 401, "身份验证失败。签名不匹配"))?;
    Ok(Verified { access_key_id: access_key_id.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<(String, String)> {
        vec![("b1fcdc6c62be261cf97b00b25be6a2af".into(), "TEST_SECRET_NOT_REAL".into())]
    }

    fn at(ts: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(ts, "%Y-%m-%dT%H:%M:%SZ").unwrap().and_utc()
    }

    const DOC_QUERY: &str = "AccessKeyId=b1fcdc6c62be261cf97b00b25be6a2af&Expires=60&Timestamp=2018-10-12T10%3A18%3A12Z&cnos%5B0%5D=0000&cnos%5B1%5D=0001&limit=10&offset=0&qno=0000";

    #[test]
    fn accepts_the_readme_vector() {
        let q = format!("{DOC_QUERY}&Signature=wlJ%2BiwywTVT%2BPHdoxX9Qx7rDq7Y%3D");
        verify("GET", "api-bj.clink.cn", "/cc/list_clients", &q, &keys(), at("2018-10-12T10:18:30Z")).unwrap();
        let post = "AccessKeyId=b1fcdc6c62be261cf97b00b25be6a2af&Expires=60&Timestamp=2018-10-12T10%3A18%3A12Z&Signature=S5%2BV3%2FnpC1lUwLSFquPPcxntHgs%3D";
        verify("POST", "api-bj.clink.cn", "/cc/online", post, &keys(), at("2018-10-12T10:18:30Z")).unwrap();
    }

    #[test]
    fn refuses_tampering_expiry_and_missing_key() {
        let now = at("2018-10-12T10:18:30Z");
        let tampered = format!("{}&Signature=wlJ%2BiwywTVT%2BPHdoxX9Qx7rDq7Y%3D", DOC_QUERY.replace("limit=10", "limit=11"));
        assert_eq!(verify("GET", "api-bj.clink.cn", "/cc/list_clients", &tampered, &keys(), now).unwrap_err().code, "AuthFailure");
        let good = format!("{DOC_QUERY}&Signature=wlJ%2BiwywTVT%2BPHdoxX9Qx7rDq7Y%3D");
        let late = at("2018-10-12T10:19:13Z");
        assert_eq!(verify("GET", "api-bj.clink.cn", "/cc/list_clients", &good, &keys(), late).unwrap_err().code, "SignaturesExpired");
        assert_eq!(verify("GET", "api-bj.clink.cn:443", "/cc/list_clients", &good, &keys(), now).unwrap_err().code, "AuthFailure");
        assert_eq!(verify("GET", "h", "/p", "limit=1", &keys(), now).unwrap_err().code, "MissingAuthenticationToken");
        let other_secret = vec![("b1fcdc6c62be261cf97b00b25be6a2af".to_owned(), "WRONG".to_owned())];
        assert_eq!(verify("GET", "api-bj.clink.cn", "/cc/list_clients", &good, &other_secret, now).unwrap_err().code, "AuthFailure");
    }
}
