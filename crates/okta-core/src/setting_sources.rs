//! The settings an admin keeps outside the script, where the Okta SDKs read them: `~/.okta/okta.yaml`, then
//! `./okta.yaml`, then `OKTA_CLIENT_*` environment variables (lowest precedence first; each later source wins per
//! setting, and settings made in the session win over all of them — the caller applies those).
//!
//! Units follow the SDKs: `requestTimeout` is in seconds in the YAML and the environment (Go and Python), and
//! becomes milliseconds here (Okta.PowerShell's unit). `rateLimit.maxRetries` keeps its meaning (0 = no retry).
//! Problems (a malformed file, a number that is not one) are reported by name, never with the value: the same
//! files hold tokens and private keys.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml_ng::Value;

/// Where to look: the home and working directories and the environment, passed in so tests need neither.
#[derive(Debug, Default, Clone)]
pub struct SettingSources {
    pub home: Option<PathBuf>,
    pub working_dir: Option<PathBuf>,
    pub environment: HashMap<String, String>,
}

impl SettingSources {
    /// This process's home directory, working directory and environment.
    pub fn of_this_process() -> SettingSources {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from);
        SettingSources {
            home,
            working_dir: std::env::current_dir().ok(),
            environment: std::env::vars().filter(|(name, _)| name.starts_with("OKTA_")).collect(),
        }
    }
}

/// What the sources say, in okta-core's configuration names. `None` = no source sets it.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcedSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// PEM or JWK text, or a file path (the caller resolves paths, as for -PrivateKey).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// The files and variables that set something, e.g. "~/.okta/okta.yaml", "OKTA_CLIENT_TOKEN" (names only).
    pub sources: Vec<String>,
    /// What could not be used, naming the file or variable and the setting, never the value.
    pub problems: Vec<String>,
}

/// Reads every source, lowest precedence first.
pub fn read(sources: &SettingSources) -> SourcedSettings {
    let mut settings = SourcedSettings::default();
    if let Some(home) = &sources.home {
        apply_yaml_file(&mut settings, &home.join(".okta").join("okta.yaml"), "~/.okta/okta.yaml");
    }
    if let Some(dir) = &sources.working_dir {
        apply_yaml_file(&mut settings, &dir.join("okta.yaml"), "./okta.yaml");
    }
    apply_environment(&mut settings, &sources.environment);
    settings
}

fn apply_yaml_file(settings: &mut SourcedSettings, path: &Path, shown: &str) {
    let Ok(text) = std::fs::read_to_string(path) else { return };
    match serde_yaml_ng::from_str::<Value>(&text) {
        Ok(document) => {
            let client = document.get("okta").and_then(|okta| okta.get("client"));
            match client {
                Some(client) => apply_yaml_client(settings, client, shown),
                None => settings.problems.push(format!("{shown} has no okta.client section")),
            }
        }
        // serde_yaml's message can quote the offending line, which may hold a secret: position only
        Err(error) => settings.problems.push(match error.location() {
            Some(at) => format!("{shown} is not valid YAML (line {}, column {})", at.line(), at.column()),
            None => format!("{shown} is not valid YAML"),
        }),
    }
}

fn apply_yaml_client(settings: &mut SourcedSettings, client: &Value, shown: &str) {
    let before = settings.clone();
    let text = |key: &str| client.get(key).and_then(scalar_text);
    if let Some(url) = text("orgUrl") {
        settings.base_url = Some(url);
    }
    if let Some(token) = text("token") {
        settings.api_token = Some(token);
    }
    if let Some(mode) = text("authorizationMode") {
        settings.authorization_mode = Some(mode);
    }
    if let Some(id) = text("clientId") {
        settings.client_id = Some(id);
    }
    if let Some(scopes) = client.get("scopes") {
        match scopes {
            Value::Sequence(items) => settings.scopes = Some(items.iter().filter_map(scalar_text).collect()),
            other => {
                if let Some(list) = scalar_text(other) {
                    settings.scopes = Some(split_scopes(&list));
                }
            }
        }
    }
    if let Some(key) = text("privateKey") {
        settings.private_key = Some(key);
    }
    // the SDKs spell the key id three ways
    if let Some(kid) = text("privateKeyId").or_else(|| text("kid")).or_else(|| text("keyId")) {
        settings.private_key_id = Some(kid);
    }
    if let Some(seconds) = client.get("requestTimeout") {
        match scalar_text(seconds).as_deref().map(parse_seconds) {
            Some(Some(ms)) => settings.request_timeout_ms = Some(ms),
            _ => settings.problems.push(format!("{shown}: okta.client.requestTimeout is not a number of seconds")),
        }
    }
    if let Some(retries) = client.get("rateLimit").and_then(|limit| limit.get("maxRetries")) {
        match scalar_text(retries).and_then(|text| text.trim().parse::<u32>().ok()) {
            Some(count) => settings.max_retries = Some(count),
            None => settings.problems.push(format!("{shown}: okta.client.rateLimit.maxRetries is not a whole number")),
        }
    }
    if let Some(proxy) = client.get("proxy") {
        let part = |key: &str| proxy.get(key).and_then(scalar_text);
        match proxy_url(part("host"), part("port"), part("username"), part("password")) {
            Some(url) => settings.proxy = Some(url),
            None => settings.problems.push(format!("{shown}: okta.client.proxy needs at least a host")),
        }
    }
    if *settings != before {
        settings.sources.push(shown.to_owned());
    }
}

fn apply_environment(settings: &mut SourcedSettings, environment: &HashMap<String, String>) {
    let take = |names: &[&str]| -> Option<(String, String)> {
        names.iter().find_map(|name| {
            environment
                .get(*name)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .map(|value| ((*name).to_owned(), value.to_owned()))
        })
    };
    let mut used = Vec::new();
    if let Some((name, url)) = take(&["OKTA_CLIENT_ORGURL"]) {
        settings.base_url = Some(url);
        used.push(name);
    }
    if let Some((name, token)) = take(&["OKTA_CLIENT_TOKEN"]) {
        settings.api_token = Some(token);
        used.push(name);
    }
    if let Some((name, mode)) = take(&["OKTA_CLIENT_AUTHORIZATIONMODE"]) {
        settings.authorization_mode = Some(mode);
        used.push(name);
    }
    if let Some((name, id)) = take(&["OKTA_CLIENT_CLIENTID"]) {
        settings.client_id = Some(id);
        used.push(name);
    }
    if let Some((name, scopes)) = take(&["OKTA_CLIENT_SCOPES"]) {
        settings.scopes = Some(split_scopes(&scopes));
        used.push(name);
    }
    if let Some((name, key)) = take(&["OKTA_CLIENT_PRIVATEKEY"]) {
        settings.private_key = Some(key);
        used.push(name);
    }
    if let Some((name, kid)) = take(&["OKTA_CLIENT_PRIVATEKEYID", "OKTA_CLIENT_KID"]) {
        settings.private_key_id = Some(kid);
        used.push(name);
    }
    // the Go SDK's code reads the underscored spellings, its README the others: accept both
    if let Some((name, seconds)) = take(&["OKTA_CLIENT_REQUESTTIMEOUT", "OKTA_CLIENT_REQUEST_TIMEOUT"]) {
        match parse_seconds(&seconds) {
            Some(ms) => {
                settings.request_timeout_ms = Some(ms);
                used.push(name);
            }
            None => settings.problems.push(format!("{name} is not a number of seconds")),
        }
    }
    if let Some((name, retries)) = take(&["OKTA_CLIENT_RATELIMIT_MAXRETRIES", "OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES"]) {
        match retries.parse::<u32>() {
            Ok(count) => {
                settings.max_retries = Some(count);
                used.push(name);
            }
            Err(_) => settings.problems.push(format!("{name} is not a whole number")),
        }
    }
    let proxy_host = take(&["OKTA_CLIENT_PROXY_HOST"]);
    if let Some((name, host)) = proxy_host {
        let port = take(&["OKTA_CLIENT_PROXY_PORT"]).map(|(_, port)| port);
        let user = take(&["OKTA_CLIENT_PROXY_USERNAME"]).map(|(_, user)| user);
        let password = take(&["OKTA_CLIENT_PROXY_PASSWORD"]).map(|(_, password)| password);
        settings.proxy = proxy_url(Some(host), port, user, password);
        used.push(name);
    }
    settings.sources.extend(used);
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()).filter(|text| !text.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn split_scopes(list: &str) -> Vec<String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Seconds (the SDKs' unit, fractions allowed) → milliseconds.
fn parse_seconds(text: &str) -> Option<u64> {
    let seconds: f64 = text.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| (seconds * 1000.0).round() as u64)
}

fn proxy_url(host: Option<String>, port: Option<String>, user: Option<String>, password: Option<String>) -> Option<String> {
    let host = host?;
    let (scheme, host) = match host.split_once("://") {
        Some((scheme, rest)) => (scheme.to_owned(), rest.trim_end_matches('/').to_owned()),
        None => ("http".to_owned(), host),
    };
    let encode = |part: &str| percent_encoding::utf8_percent_encode(part, percent_encoding::NON_ALPHANUMERIC).to_string();
    let credentials = match (user, password) {
        (Some(user), Some(password)) => format!("{}:{}@", encode(&user), encode(&password)),
        (Some(user), None) => format!("{}@", encode(&user)),
        _ => String::new(),
    };
    let port = port.map(|port| format!(":{port}")).unwrap_or_default();
    Some(format!("{scheme}://{credentials}{host}{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const HOME_YAML: &str = "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: home-token\n    requestTimeout: 30\n    rateLimit:\n      maxRetries: 2\n    scopes:\n      - okta.users.read\n      - okta.groups.read\n";

    #[test]
    fn each_later_source_wins_per_setting() {
        let home = folder_with(&[(".okta/okta.yaml", HOME_YAML)]);
        let project = folder_with(&[("okta.yaml", "okta:\n  client:\n    orgUrl: https://project.okta.com\n    clientId: 0oaProject\n")]);
        let environment = HashMap::from([("OKTA_CLIENT_TOKEN".to_owned(), "env-token".to_owned())]);
        let read = read(&SettingSources { home: Some(home.path().into()), working_dir: Some(project.path().into()), environment });
        assert_eq!(read.base_url.as_deref(), Some("https://project.okta.com"));
        assert_eq!(read.api_token.as_deref(), Some("env-token"));
        assert_eq!(read.client_id.as_deref(), Some("0oaProject"));
        assert_eq!(read.scopes, Some(vec!["okta.users.read".to_owned(), "okta.groups.read".to_owned()]));
        assert_eq!(read.request_timeout_ms, Some(30_000), "seconds in the YAML, milliseconds here");
        assert_eq!(read.max_retries, Some(2));
        assert_eq!(read.sources, ["~/.okta/okta.yaml", "./okta.yaml", "OKTA_CLIENT_TOKEN"]);
        assert!(read.problems.is_empty());
    }

    #[test]
    fn reads_both_spellings_of_the_go_sdk_variables_and_comma_separated_scopes() {
        let environment = HashMap::from([
            ("OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES".to_owned(), "0".to_owned()),
            ("OKTA_CLIENT_REQUEST_TIMEOUT".to_owned(), "1.5".to_owned()),
            ("OKTA_CLIENT_SCOPES".to_owned(), "okta.users.read,okta.apps.read".to_owned()),
            ("OKTA_CLIENT_KID".to_owned(), "key-1".to_owned()),
            ("OKTA_CLIENT_AUTHORIZATIONMODE".to_owned(), "PrivateKey".to_owned()),
        ]);
        let read = read(&SettingSources { environment, ..Default::default() });
        assert_eq!(read.max_retries, Some(0));
        assert_eq!(read.request_timeout_ms, Some(1_500));
        assert_eq!(read.scopes, Some(vec!["okta.users.read".to_owned(), "okta.apps.read".to_owned()]));
        assert_eq!(read.private_key_id.as_deref(), Some("key-1"));
        assert_eq!(read.authorization_mode.as_deref(), Some("PrivateKey"));
    }

    #[test]
    fn keeps_a_multi_line_private_key_and_builds_the_proxy_url() {
        let yaml = "okta:\n  client:\n    privateKey: |\n      -----BEGIN PRIVATE KEY-----\n      MIIB\n      -----END PRIVATE KEY-----\n    kid: k1\n    proxy:\n      host: proxy.example.com\n      port: 3128\n      username: ada\n      password: p@ss\n";
        let project = folder_with(&[("okta.yaml", yaml)]);
        let read = read(&SettingSources { working_dir: Some(project.path().into()), ..Default::default() });
        assert_eq!(read.private_key.as_deref(), Some("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"));
        assert_eq!(read.private_key_id.as_deref(), Some("k1"));
        assert_eq!(read.proxy.as_deref(), Some("http://ada:p%40ss@proxy.example.com:3128"));
    }

    #[test]
    fn reports_problems_by_name_without_values() {
        let project = folder_with(&[("okta.yaml", "okta:\n  client:\n    token: secret-token-value\n    requestTimeout: soon\n  : [\n")]);
        let environment = HashMap::from([("OKTA_CLIENT_RATELIMIT_MAXRETRIES".to_owned(), "many".to_owned())]);
        let read = read(&SettingSources { working_dir: Some(project.path().into()), environment, ..Default::default() });
        assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
        assert!(read.problems[0].starts_with("./okta.yaml is not valid YAML"));
        assert_eq!(read.problems[1], "OKTA_CLIENT_RATELIMIT_MAXRETRIES is not a whole number");
        assert!(!format!("{:?}", read.problems).contains("secret-token-value"));
        assert_eq!(read.api_token, None, "nothing is taken from a file that does not parse");
    }

    #[test]
    fn no_sources_set_nothing() {
        let read = read(&SettingSources::default());
        assert_eq!(read, SourcedSettings::default());
    }
}
