//! The route table: every operation Okta's API facts know, compacted into `data/routes.g.tsv`
//! (written by crates/okta-gen). It tells the pipeline whether a path exists, which methods it takes,
//! which OAuth scopes it needs, and how the generic handler should answer.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/routes.g.tsv");

/// Operations of the official module 2.0.2 (older spec) that real orgs still answer and the current facts lack,
/// in the table's columns.
const LEGACY: &str = "\
mgmt\tPOST\t/api/v1/sessions\tokta.sessions.manage\tboth\t200\tobject\t0\t-\t-\tcreateSession
mgmt\tGET\t/api/v1/meta/layouts/apps/{appName}\tokta.apps.read\tboth\t200\tobject\t0\t-\t-\tgetApplicationLayout
mgmt\tGET\t/api/v1/risk/providers\tokta.riskProviders.read\tboth\t200\tarray\t0\t-\t-\tlistRiskProviders
mgmt\tPOST\t/api/v1/risk/providers\tokta.riskProviders.manage\tboth\t201\tobject\t0\t-\t-\tcreateRiskProvider
mgmt\tGET\t/api/v1/risk/providers/{riskProviderId}\tokta.riskProviders.read\tboth\t200\tobject\t0\t-\t-\tgetRiskProvider
mgmt\tPUT\t/api/v1/risk/providers/{riskProviderId}\tokta.riskProviders.manage\tboth\t200\tobject\t0\t-\t-\treplaceRiskProvider
mgmt\tDELETE\t/api/v1/risk/providers/{riskProviderId}\tokta.riskProviders.manage\tboth\t204\tnone\t0\t-\t-\tdeleteRiskProvider
mgmt\tPOST\t/api/v1/risk/events/ip\tokta.riskEvents.manage\tboth\t202\tnone\t0\t-\t-\tsendRiskEvents
mgmt\tPOST\t/api/v1/brands/{brandId}/domains\tokta.brands.manage\tboth\t200\tobject\t0\t-\t-\tlinkBrandDomain
mgmt\tDELETE\t/api/v1/brands/{brandId}/domains/{domainId}\tokta.brands.manage\tboth\t204\tnone\t0\t-\t-\tunlinkBrandDomain
mgmt\tGET\t/api/v1/email-domains/{emailDomainId}/brands\tokta.emailDomains.read\tboth\t200\tarray\t0\t-\t-\tlistEmailDomainBrands
mgmt\tPOST\t/api/v1/org/logo\tokta.orgs.manage\tboth\t201\tnone\t0\t-\t-\tuploadOrgLogo
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// SSWS token or OAuth access token.
    Both,
    OAuthOnly,
    SswsOnly,
    /// No authentication (well-known documents, OAuth endpoints).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Array,
    Object,
    Text,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Lit(String),
    Param(String),
}

#[derive(Debug, Clone)]
pub struct Route {
    pub oauth_api: bool,
    pub method: String,
    pub template: String,
    pub segs: Vec<Seg>,
    pub scopes: Vec<String>,
    pub security: Security,
    pub status: u16,
    pub body: BodyKind,
    pub paginated: bool,
    pub limit_default: Option<usize>,
    pub limit_max: Option<usize>,
    pub operation_id: String,
}

pub enum RouteMatch<'a> {
    Found(&'a Route),
    /// The path exists, but not with this method.
    MethodNotAllowed,
    NotFound,
}

pub struct RouteTable {
    pub routes: Vec<Route>,
}

fn split_template(path: &str) -> Vec<Seg> {
    path.trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Seg::Param(s[1..s.len() - 1].to_string())
            } else {
                Seg::Lit(s.to_string())
            }
        })
        .collect()
}

impl RouteTable {
    pub fn parse(text: &str) -> RouteTable {
        let mut routes = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 11 {
                continue;
            }
            let num = |s: &str| {
                if s == "-" {
                    None
                } else {
                    s.parse::<usize>().ok()
                }
            };
            routes.push(Route {
                oauth_api: f[0] == "oauth",
                method: f[1].to_string(),
                template: f[2].to_string(),
                segs: split_template(f[2]),
                scopes: if f[3] == "-" {
                    Vec::new()
                } else {
                    f[3].split(',').map(str::to_string).collect()
                },
                security: match f[4] {
                    "oauth" => Security::OAuthOnly,
                    "ssws" => Security::SswsOnly,
                    "none" => Security::None,
                    _ => Security::Both,
                },
                status: f[5].parse().unwrap_or(200),
                body: match f[6] {
                    "array" => BodyKind::Array,
                    "object" => BodyKind::Object,
                    "string" => BodyKind::Text,
                    _ => BodyKind::None,
                },
                paginated: f[7] == "1",
                limit_default: num(f[8]),
                limit_max: num(f[9]),
                operation_id: f[10].to_string(),
            });
        }
        RouteTable { routes }
    }

    pub fn global() -> &'static RouteTable {
        static T: OnceLock<RouteTable> = OnceLock::new();
        T.get_or_init(|| {
            let mut t = RouteTable::parse(TABLE);
            // Operations the official 2.0.2 module calls that the current facts dropped: answered unless the
            // table already has them.
            for r in RouteTable::parse(LEGACY).routes {
                if !t
                    .routes
                    .iter()
                    .any(|x| x.method == r.method && x.template == r.template)
                {
                    t.routes.push(r);
                }
            }
            t
        })
    }

    /// Specificity of a template match: literal segments earlier win (`/groups/rules` over `/groups/{id}`).
    fn score(route: &Route, segs: &[&str]) -> Option<Vec<u8>> {
        if route.segs.len() != segs.len() {
            return None;
        }
        let mut score = Vec::with_capacity(segs.len());
        for (t, s) in route.segs.iter().zip(segs) {
            match t {
                Seg::Lit(l) if l == s => score.push(1),
                Seg::Lit(_) => return None,
                Seg::Param(_) if !s.is_empty() => score.push(0),
                Seg::Param(_) => return None,
            }
        }
        Some(score)
    }

    pub fn find(&self, method: &str, segs: &[&str]) -> RouteMatch<'_> {
        let mut best: Option<(Vec<u8>, &Route)> = None;
        let mut path_known = false;
        let mut best_any: Option<Vec<u8>> = None;
        for r in &self.routes {
            if let Some(sc) = Self::score(r, segs) {
                if best_any.as_ref().is_none_or(|b| sc > *b) {
                    best_any = Some(sc.clone());
                }
                if r.method == method && best.as_ref().is_none_or(|(b, _)| sc > *b) {
                    best = Some((sc, r));
                }
                path_known = true;
            }
        }
        match best {
            // A less specific template with this method must not shadow a more specific one without it:
            // POST /api/v1/groups/rules is not POST /api/v1/groups/{groupId}.
            Some((sc, r)) if best_any.as_ref().is_none_or(|b| sc >= *b) => RouteMatch::Found(r),
            Some(_) => RouteMatch::MethodNotAllowed,
            None if path_known => RouteMatch::MethodNotAllowed,
            None => RouteMatch::NotFound,
        }
    }

    /// Whether a GET on the same template answers a list (so a POST there creates a member).
    pub fn lists(&self, template: &str) -> bool {
        self.routes
            .iter()
            .any(|r| r.method == "GET" && r.template == template && r.body == BodyKind::Array)
    }
}

impl RouteTable {
    /// The member template of a collection (`/api/v1/zones` → `/api/v1/zones/{zoneId}`), if there is one.
    pub fn member_template(&self, collection: &str) -> Option<&str> {
        let n = collection.trim_matches('/').split('/').count() + 1;
        self.routes
            .iter()
            .find(|r| {
                r.segs.len() == n
                    && matches!(r.segs.last(), Some(Seg::Param(_)))
                    && r.template.starts_with(collection)
                    && r.template[collection.len()..].starts_with("/{")
            })
            .map(|r| r.template.as_str())
    }

    /// The `…/lifecycle/<action>` operations a member template has (`activate`, `deactivate`, ...).
    pub fn lifecycle_actions(&self, member: &str) -> Vec<&str> {
        let prefix = format!("{member}/lifecycle/");
        let mut out: Vec<&str> = self
            .routes
            .iter()
            .filter(|r| r.method == "POST")
            .filter_map(|r| r.template.strip_prefix(&prefix))
            .filter(|a| !a.contains('/'))
            .collect();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<&str> {
        p.trim_matches('/').split('/').collect()
    }

    #[test]
    fn table_loads_and_matches() {
        let t = RouteTable::global();
        assert!(t.routes.len() > 700);
        match t.find("GET", &segs("/api/v1/users")) {
            RouteMatch::Found(r) => {
                assert_eq!(r.scopes, vec!["okta.users.read"]);
                assert_eq!(r.limit_default, Some(200));
            }
            _ => panic!("users not found"),
        }
        match t.find("GET", &segs("/api/v1/groups/rules")) {
            RouteMatch::Found(r) => assert_eq!(r.operation_id, "listGroupRules"),
            _ => panic!(),
        }
        match t.find("GET", &segs("/api/v1/groups/00g123")) {
            RouteMatch::Found(r) => assert_eq!(r.operation_id, "getGroup"),
            _ => panic!(),
        }
        assert!(matches!(
            t.find("PATCH", &segs("/api/v1/users")),
            RouteMatch::MethodNotAllowed
        ));
        assert!(matches!(
            t.find("GET", &segs("/api/v1/nonsense")),
            RouteMatch::NotFound
        ));
        assert!(matches!(
            t.find("POST", &segs("/oauth2/v1/token")),
            RouteMatch::Found(_)
        ));
    }
}
