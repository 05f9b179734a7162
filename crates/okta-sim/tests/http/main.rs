//! okta-sim driven over real HTTP on 127.0.0.1. One test binary with a module per behaviour
//! (linking one binary instead of thirteen keeps `cargo test` fast).

mod common;

mod auth;
mod cli;
mod core_client;
mod every_route;
mod faults;
mod generic;
mod groups_apps;
mod lifecycle;
mod logs_hooks;
mod oauth_clients;
mod oauth_code;
mod oauth_device;
mod oauth_dpop;
mod org_model;
mod paging;
mod ratelimit;
mod schema_check;
mod search;
mod state;
mod users;
