//! Streaming pagination: every page of a list, one at a time, with the next page already on its way.
//!
//! The first request goes as given; after it, each `Link: <…>; rel="next"` is followed verbatim (Okta's
//! cursors are opaque). While the caller turns one page into objects, the next one is fetched (one page of
//! prefetch), so a long list costs about pages × latency instead of pages × (latency + processing).
//! Dropping the stream aborts the fetch in flight: a caller that stops early stops paging at once.
//!
//! Two endings are not "no next link": the System Log's next link never ends, so [`EndAt::EmptyPage`]
//! stops at the first empty page; [`EndAt::Never`] keeps polling the last next link (tailing the log),
//! waiting `poll` after each empty page, until cancelled.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::cancel::CancelSignal;
use crate::client::{ApiResponse, Client};
use crate::error::{Error, TransportKind};
use crate::request::ApiRequest;
use crate::runtime::runtime;

/// When a stream is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndAt {
    /// When a page has no next link (most lists).
    NoNextLink,
    /// Also at the first empty page (the System Log, whose next link never ends).
    EmptyPage,
    /// Never: after an empty page, wait `poll` and ask the same next link again (tail the log).
    Never { poll: Duration },
}

/// The pages of one list, fetched one ahead of the caller.
pub struct PageStream {
    client: Client,
    end_at: EndAt,
    /// The fetch of the page the caller will get next.
    pending: Option<JoinHandle<Result<ApiResponse, Error>>>,
    /// The template of follow-up requests (headers of the first request; the URI changes).
    template: ApiRequest,
}

impl PageStream {
    /// Starts fetching the first page of `request` at once.
    pub fn open(client: Client, request: ApiRequest, end_at: EndAt) -> PageStream {
        let mut template = request.clone();
        template.body = None;
        let pending = Some(spawn_fetch(&client, request, Duration::ZERO));
        PageStream { client, end_at, pending, template }
    }

    /// The next page, or `None` when the list is over. Blocks the calling thread (not an async
    /// runtime's); returns [`Error::Cancelled`] as soon as `cancel` fires. An error ends the stream.
    pub fn next_blocking(&mut self, cancel: &CancelSignal) -> Result<Option<ApiResponse>, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Request("PageStream::next_blocking was called on an async runtime thread".into()));
        }
        let Some(mut pending) = self.pending.take() else { return Ok(None) };
        if cancel.is_cancelled() {
            pending.abort();
            return Err(Error::Cancelled);
        }
        let outcome = runtime().block_on(async {
            tokio::select! {
                joined = &mut pending => joined.unwrap_or_else(|join_error| Err(Error::Transport {
                    kind: TransportKind::Other,
                    message: format!("the page request task did not finish: {join_error}"),
                })),
                () = cancel.cancelled() => {
                    pending.abort();
                    Err(Error::Cancelled)
                }
            }
        });
        let page = outcome?;
        self.pending = self.follow_up(&page);
        Ok(Some(page))
    }

    /// Whether another page will come after the last one returned.
    pub fn has_more(&self) -> bool {
        self.pending.is_some()
    }

    fn follow_up(&self, page: &ApiResponse) -> Option<JoinHandle<Result<ApiResponse, Error>>> {
        let next = page.next_uri.clone()?;
        let empty = is_empty_json_array(&page.body);
        let delay = match self.end_at {
            EndAt::NoNextLink => Duration::ZERO,
            EndAt::EmptyPage if empty => return None,
            EndAt::EmptyPage => Duration::ZERO,
            EndAt::Never { poll } if empty => poll,
            EndAt::Never { .. } => Duration::ZERO,
        };
        let mut request = self.template.clone();
        request.uri = Some(next);
        Some(spawn_fetch(&self.client, request, delay))
    }
}

impl Drop for PageStream {
    fn drop(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.abort();
        }
    }
}

fn spawn_fetch(client: &Client, request: ApiRequest, delay: Duration) -> JoinHandle<Result<ApiResponse, Error>> {
    let client = client.clone();
    runtime().spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        client.send(request).await
    })
}

/// `[]` (with any whitespace): an empty page.
pub fn is_empty_json_array(body: &[u8]) -> bool {
    let mut bytes = body.iter().copied().filter(|b| !b.is_ascii_whitespace());
    matches!((bytes.next(), bytes.next(), bytes.next()), (Some(b'['), Some(b']'), None))
}

#[cfg(test)]
mod tests {
    use super::is_empty_json_array;

    #[test]
    fn recognises_empty_pages() {
        assert!(is_empty_json_array(b"[]"));
        assert!(is_empty_json_array(b" [ \n ] "));
        assert!(!is_empty_json_array(b"[{}]"));
        assert!(!is_empty_json_array(b""));
        assert!(!is_empty_json_array(b"{}"));
    }
}
