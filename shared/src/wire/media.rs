//! Signed links to a call's recording. An `<audio>` element cannot send the
//! session token, so the edge hands the board a short-lived link instead
//! (`/api/recordings/{jobId}?exp=…&sig=…`); the browser then streams the
//! recording with ordinary (range) requests. The signature is an HMAC-SHA256
//! under the session secret over the job id and the expiry, with a purpose
//! prefix so that it can never pass for anything else.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a link stays valid (it never outlives the session that asked).
pub const LINK_TTL_SECS: i64 = 3600;

fn mac(secret: &[u8], job_id: &str, exp: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("recording\n{job_id}\n{exp}").as_bytes());
    mac
}

/// The `sig` for a job's recording valid until `exp` (seconds since the epoch).
pub fn sign(secret: &[u8], job_id: &str, exp: i64) -> String {
    URL_SAFE_NO_PAD.encode(mac(secret, job_id, exp).finalize().into_bytes())
}

/// When a link asked for at `now` by a session ending at `session_exp` expires.
pub fn expiry(now: i64, session_exp: i64) -> i64 {
    (now + LINK_TTL_SECS).min(session_exp)
}

/// The link's path and query (`job_id` must already be a valid id).
pub fn link(secret: &[u8], job_id: &str, exp: i64) -> String {
    format!("/api/recordings/{job_id}?exp={exp}&sig={}", sign(secret, job_id, exp))
}

/// Why a link was refused. The messages are safe to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// `exp` or `sig` is missing or not well formed.
    Malformed(&'static str),
    Expired,
    BadSignature,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Malformed(what) => write!(f, "录音链接无效 (malformed link: {what})"),
            LinkError::Expired => f.write_str("录音链接已过期 (link expired)"),
            LinkError::BadSignature => f.write_str("录音链接签名错误 (bad link signature)"),
        }
    }
}

/// Checks `exp` and `sig` from a link's query for `job_id` at `now`.
pub fn verify(secret: &[u8], job_id: &str, exp: &str, sig: &str, now: i64) -> Result<(), LinkError> {
    let exp: i64 = exp.parse().map_err(|_| LinkError::Malformed("exp"))?;
    let sig = URL_SAFE_NO_PAD.decode(sig).map_err(|_| LinkError::Malformed("sig"))?;
    mac(secret, job_id, exp).verify_slice(&sig).map_err(|_| LinkError::BadSignature)?;
    if now >= exp {
        return Err(LinkError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(link: &str) -> (String, String) {
        let q = link.split_once('?').unwrap().1;
        let get = |k: &str| q.split('&').find_map(|p| p.strip_prefix(&format!("{k}="))).unwrap().to_owned();
        (get("exp"), get("sig"))
    }

    #[test]
    fn a_link_opens_its_recording_until_it_expires() {
        let link = link(b"secret", "job-1", 2_000);
        assert!(link.starts_with("/api/recordings/job-1?exp=2000&sig="), "{link}");
        let (exp, sig) = query(&link);
        assert_eq!(verify(b"secret", "job-1", &exp, &sig, 1_999), Ok(()));
        assert_eq!(verify(b"secret", "job-1", &exp, &sig, 2_000), Err(LinkError::Expired));
    }

    #[test]
    fn nothing_else_passes() {
        let (exp, sig) = query(&link(b"secret", "job-1", 2_000));
        assert_eq!(verify(b"secret", "job-2", &exp, &sig, 0), Err(LinkError::BadSignature));
        assert_eq!(verify(b"other", "job-1", &exp, &sig, 0), Err(LinkError::BadSignature));
        assert_eq!(verify(b"secret", "job-1", "9999999999", &sig, 0), Err(LinkError::BadSignature));
        assert_eq!(verify(b"secret", "job-1", "soon", &sig, 0), Err(LinkError::Malformed("exp")));
        assert_eq!(verify(b"secret", "job-1", &exp, "not base64!", 0), Err(LinkError::Malformed("sig")));
        assert_eq!(verify(b"secret", "job-1", &exp, "", 0), Err(LinkError::BadSignature));
    }

    #[test]
    fn a_link_never_outlives_its_session() {
        assert_eq!(expiry(1_000, 1_000_000), 1_000 + LINK_TTL_SECS);
        assert_eq!(expiry(1_000, 1_500), 1_500);
    }
}
