//! okta-sim: a local simulated Okta org.
//!
//! Layout (one concern per module):
//! - [`config`]      options ([`SimOptions`]) and the parsers of the CLI's value syntaxes
//! - `server`        the HTTP server: accept loop (HTTP or HTTPS) and the request pipeline: request id, Date,
//!   faults, concurrency + rate limits, auth, dispatch, response headers
//! - `routes`        the route table derived from Okta's API facts (`data/routes.g.tsv`): scopes, paging limits
//! - `store`         the in-memory org and its persistence (`--state FILE`, atomic saves)
//! - `resources/*`   the resources simulated with behaviour: users, groups, apps, logs, event hooks
//! - `generic`       stored-JSON CRUD for every other path in the route table
//! - `expr`          the `search` / `filter` expression language (parser, per-endpoint dialects, evaluator)
//! - `paging`        `limit` / `after`, the `Link` headers, and `ListQuery`: the search / filter / q / sortBy
//!   pipeline shared by the users, groups and apps lists
//! - `jsonw`         JSON written straight to bytes for the hot list pages (same bytes as serde_json)
//! - `errors`        Okta error bodies (the only place that shapes them)
//! - `ratelimit`, `faults`, `auth`, `oauth`, `admin`, `tls`
//!
//! Start one in-process with [`Simulator::start`].

// Handlers return `Result<Reply, ApiError>`; an error is one allocation-light struct per failed request,
// not worth boxing.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod expr;
pub mod facts;
pub mod schema;

mod admin;
mod auth;
mod errors;
mod faults;
mod generic;
mod jsonw;
mod oauth;
mod paging;
mod ratelimit;
mod reply;
mod resources;
pub mod routes;
mod seed;
mod server;
mod store;
mod tls;
mod util;

pub use config::{FaultConfig, RateLimitConfig, RateSpec, SimOptions};
pub use server::{SimHandle, Simulator};
