//! Where the edge may fetch from on an upstream's word: recording URLs come
//! from the backend and are fetched only when their origin is on the
//! `RECORDING_ORIGINS` allow-list (README "Security model").
//!
//! An entry is `scheme://host[:port]`, where the host may start with `*.`
//! for any subdomain (`https://*.aliyuncs.com`). A URL with user info, any
//! scheme other than http/https, or an origin off the list is refused.

/// One allowed origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedOrigin {
    pub https: bool,
    /// Lower-case; `suffix` means "any subdomain of `host`".
    pub host: String,
    pub suffix: bool,
    pub port: u16,
}

/// The parts of a URL that decide where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

/// Reads `scheme://host[:port]…` (anything after the authority is ignored).
pub fn origin_of(url: &str) -> Option<Origin> {
    let (scheme, rest) = url.split_once("://")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') || authority.contains('\\') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        // An IPv6 literal is not used by any recording store; refused with everything else odd.
        _ if authority.starts_with('[') => return None,
        Some((host, port)) => (host, port.parse::<u16>().ok()?),
        None => (authority, if https { 443 } else { 80 }),
    };
    let host = host.to_ascii_lowercase();
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        return None;
    }
    Some(Origin { https, host, port })
}

/// Parses the comma-separated setting. Entries that do not parse are named in the error.
pub fn parse_allow_list(setting: &str) -> Result<Vec<AllowedOrigin>, String> {
    let mut out = vec![];
    for entry in setting.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (wildcard, plain) = match entry.split_once("://") {
            Some((scheme, rest)) if rest.starts_with("*.") => (true, format!("{scheme}://{}", &rest[2..])),
            _ => (false, entry.to_owned()),
        };
        let has_path = plain.split_once("://").is_some_and(|(_, rest)| rest.trim_end_matches('/').contains(['/', '?', '#']));
        let Some(o) = origin_of(&plain).filter(|_| !has_path) else {
            return Err(format!("{entry:?} is not scheme://host[:port]"));
        };
        out.push(AllowedOrigin { https: o.https, host: o.host, suffix: wildcard, port: o.port });
    }
    Ok(out)
}

impl AllowedOrigin {
    pub fn admits(&self, o: &Origin) -> bool {
        let host = if self.suffix { o.host.strip_suffix(&self.host).is_some_and(|sub| sub.ends_with('.') && sub.len() > 1) } else { o.host == self.host };
        host && self.https == o.https && self.port == o.port
    }
}

/// The URL to fetch for `url`, if the list allows it: as given, or, for an
/// `http://` URL whose host is allowed over https only, the same URL over
/// https (the object stores that sign recording URLs serve both).
pub fn allowed_url(url: &str, list: &[AllowedOrigin]) -> Option<String> {
    let o = origin_of(url)?;
    if list.iter().any(|a| a.admits(&o)) {
        return Some(url.to_owned());
    }
    if !o.https && o.port == 80 {
        let upgraded = Origin { https: true, host: o.host.clone(), port: 443 };
        if list.iter().any(|a| a.admits(&upgraded)) {
            let (_, rest) = url.split_once("://")?;
            return Some(format!("https://{rest}"));
        }
    }
    None
}

/// Resolves a redirect's `Location` against the URL that answered it
/// (absolute, or an absolute path on the same origin).
pub fn resolve_location(base: &str, location: &str) -> Option<String> {
    if location.contains("://") {
        return Some(location.to_owned());
    }
    if location.starts_with('/') && !location.starts_with("//") {
        let (scheme, rest) = base.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        return Some(format!("{scheme}://{authority}{location}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> Vec<AllowedOrigin> {
        parse_allow_list(s).unwrap()
    }

    #[test]
    fn origins_are_matched_exactly_or_by_subdomain() {
        let l = list("https://*.aliyuncs.com, http://127.0.0.1:8788");
        let spec = "http://voicenavigator-cn-shanghai.oss-cn-shanghai.aliyuncs.com/exported_files/e938a68795634c88b8160f30c6da7b67.wav?Expires=1770691031&OSSAccessKeyId=LTAIHgPej9maicqw&Signature=oFCXtkSWyuEjOQQl97nBRnCIxUA%3D";
        assert_eq!(allowed_url(spec, &l).as_deref(), Some(&*spec.replacen("http://", "https://", 1)), "the spec's http OSS URL is fetched over https");
        assert!(allowed_url("https://x.aliyuncs.com/a.wav", &l).is_some());
        assert!(allowed_url("http://127.0.0.1:8788/recordings/a.wav", &l).is_some());
        for bad in [
            "https://aliyuncs.com/a.wav",              // the bare suffix is not a subdomain
            "https://evil-aliyuncs.com/a.wav",
            "https://aliyuncs.com.evil.cn/a.wav",
            "http://127.0.0.1:8790/control/state",     // another port
            "http://127.0.0.1/a",
            "https://x.aliyuncs.com:8443/a.wav",
            "file:///etc/passwd",
            "ftp://x.aliyuncs.com/a",
            "https://user@x.aliyuncs.com/a",
            "https://[::1]/a",
            "https:///a",
            "x.aliyuncs.com/a",
            "",
        ] {
            assert_eq!(allowed_url(bad, &l), None, "{bad}");
        }
    }

    #[test]
    fn the_setting_names_what_does_not_parse() {
        assert!(parse_allow_list("https://*.aliyuncs.com,https://oss.example.cn:8443").is_ok());
        assert!(parse_allow_list("").unwrap().is_empty());
        assert!(parse_allow_list("aliyuncs.com").unwrap_err().contains("aliyuncs.com"));
        assert!(parse_allow_list("gopher://x").is_err());
    }

    #[test]
    fn redirects_resolve_against_their_origin() {
        assert_eq!(resolve_location("http://127.0.0.1:8788/r?to=x", "/recordings/a.wav").as_deref(), Some("http://127.0.0.1:8788/recordings/a.wav"));
        assert_eq!(resolve_location("http://a/b", "https://c/d").as_deref(), Some("https://c/d"));
        assert_eq!(resolve_location("http://a/b", "//c/d"), None);
        assert_eq!(resolve_location("http://a/b", "d"), None);
    }
}
