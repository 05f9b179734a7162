//! okta-core against wiremock servers: what goes over the wire and how answers come back.
//! One test binary with a module per area.

mod common;

mod client;
mod paging;
mod delivery;
mod requests;
mod responses;
mod settings;
