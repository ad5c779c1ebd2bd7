//! Serve stage: the trust boundary on the `Host` a request names. A web page the editor visits
//! can make the browser send requests to the dev server under its own host name (DNS
//! rebinding); answering only requests that name the server's own address keeps the preview,
//! drafts included, out of such a page's reach (as Vite's `server.allowedHosts`).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest `Host` worth looking at: a DNS name (253) and a port.
const MAX_HOST_LEN: usize = 253 + ":65535".len();

/// The host names a request may name, and the port the loopback ones must come with.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    port: u16,
    /// Names that must come with `port`: loopback names and the bound address.
    local: Vec<String>,
    /// `--allowed-host` names, with any port or none (a proxy forwards its own).
    extra: Vec<String>,
}

impl AllowedHosts {
    /// `localhost`, `127.0.0.1`, `[::1]` and the bound address (each with its port), and
    /// the extra names given.
    pub fn new(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let mut local: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(String::from)
            .collect();
        let bound_host = match bound.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        if !local.contains(&bound_host) {
            local.push(bound_host);
        }
        AllowedHosts {
            port: bound.port(),
            local,
            extra: extra.iter().map(|name| name.to_ascii_lowercase()).collect(),
        }
    }

    /// Whether a request naming `authority` (`host[:port]`) is one of this server's own.
    pub fn allows(&self, authority: &str) -> bool {
        if authority.is_empty() || authority.len() > MAX_HOST_LEN {
            return false;
        }
        let authority = authority.to_ascii_lowercase();
        let (host, port) = split_port(&authority);
        if self
            .extra
            .iter()
            .any(|name| name == host || *name == authority)
        {
            return true;
        }
        let port = port.and_then(|port| port.parse::<u16>().ok());
        port == Some(self.port) && self.local.iter().any(|name| name == host)
    }
}

/// `name:80` → (`name`, `80`); `[::1]:80` → (`[::1]`, `80`); `[::1]` → (`[::1]`, none).
fn split_port(authority: &str) -> (&str, Option<&str>) {
    let after_bracket = authority.rfind(']').map_or(0, |at| at + 1);
    match authority[after_bracket..].rfind(':') {
        Some(colon) => {
            let colon = after_bracket + colon;
            (&authority[..colon], Some(&authority[colon + 1..]))
        }
        None => (authority, None),
    }
}

/// Checks a `--allowed-host` name: a host name or address, without scheme, path or spaces.
pub fn parse_allowed_host(name: &str) -> Result<String, String> {
    let valid = !name.is_empty()
        && name.len() <= MAX_HOST_LEN
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'));
    if valid {
        Ok(name.to_string())
    } else {
        Err(format!(
            "\"{name}\" is not a host name: give a name such as preview.example.org, without scheme or path"
        ))
    }
}

/// Refuses (403) every request, dev pages and event stream included, whose host is not one
/// of the server's own. The host is the request target's authority when it has one (an
/// absolute-form target, or HTTP/2's `:authority`), else the `Host` header.
pub async fn require_own_host(
    State(allowed): State<std::sync::Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let authority = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().to_string()),
        None => request
            .headers()
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string),
    };
    if authority
        .as_deref()
        .is_some_and(|host| allowed.allows(host))
    {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "forbidden: this preview server answers only requests for its own address \
         (localhost, 127.0.0.1, [::1] or the --bind address, with its port); \
         start it with --allowed-host NAME to answer another name\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> AllowedHosts {
        AllowedHosts::new(
            "127.0.0.1:4000".parse().unwrap(),
            &["Preview.Example".to_string()],
        )
    }

    #[test]
    fn loopback_names_are_allowed_with_the_port_only() {
        let hosts = allowed();
        for host in [
            "localhost:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
            "LOCALHOST:4000",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "localhost",
            "localhost:4001",
            "127.0.0.1:",
            "127.0.0.1:x",
            "evil.example:4000",
            "evil.example",
            "",
            "localhost.evil.example:4000",
            "[::1]",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
        assert!(!hosts.allows(&format!("{}:4000", "a".repeat(10_000))));
    }

    #[test]
    fn extra_names_are_allowed_with_any_port() {
        let hosts = allowed();
        assert!(hosts.allows("preview.example"));
        assert!(hosts.allows("preview.example:443"));
        assert!(!hosts.allows("other.preview.example"));
        let with_port = AllowedHosts::new(
            "127.0.0.1:4000".parse().unwrap(),
            &["proxy.example:8443".to_string()],
        );
        assert!(with_port.allows("proxy.example:8443"));
    }

    #[test]
    fn the_bound_address_is_allowed() {
        let hosts = AllowedHosts::new("192.168.1.5:1111".parse().unwrap(), &[]);
        assert!(hosts.allows("192.168.1.5:1111"));
        assert!(hosts.allows("localhost:1111"));
        let v6 = AllowedHosts::new("[fe80::1]:1111".parse().unwrap(), &[]);
        assert!(v6.allows("[fe80::1]:1111"));
    }

    #[test]
    fn allowed_host_names_are_checked() {
        assert!(parse_allowed_host("preview.example.org").is_ok());
        assert!(parse_allowed_host("http://x/").is_err());
        assert!(parse_allowed_host("").is_err());
        assert!(parse_allowed_host("a b").is_err());
    }
}
