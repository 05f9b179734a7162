//! Streaming pagination: every page of a list, one at a time, with the next pages already on their way.
//!
//! The first request goes as given; after it, each `Link: <…>; rel="next"` is followed verbatim (Okta's
//! cursors are opaque). A producer task on the core's runtime fetches the pages: as soon as a page has
//! arrived and the caller has taken the one before, it is handed over and the next request goes out. So the
//! chain of requests does not wait for the caller to ask: a caller that is late for one page (PowerShell
//! paused by a garbage collection, a slow command downstream) does not delay the next request, and a long
//! list costs about pages × latency. At most two pages are ahead of the caller (one handed over, one in
//! flight), so memory stays bounded. Dropping the stream aborts the producer and the request in flight: a
//! caller that stops early stops paging at once.
//!
//! Two endings are not "no next link": the System Log's next link never ends, so [`EndAt::EmptyPage`]
//! stops at the first empty page; [`EndAt::Never`] keeps polling the last next link (tailing the log),
//! waiting `poll` after each empty page, until cancelled.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::cancel::CancelSignal;
use crate::client::{ApiResponse, Client};
use crate::error::Error;
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

/// One page from the producer, and whether another follows it.
type Handed = Result<(ApiResponse, bool), Error>;

/// The pages of one list, fetched ahead of the caller by a producer task.
pub struct PageStream {
    /// Pages handed over by the producer; room for one, so it waits while the caller has not taken it.
    pages: mpsc::Receiver<Handed>,
    producer: JoinHandle<()>,
    /// Whether a page will come after the last one returned (false after the last page or an error).
    more: bool,
}

impl PageStream {
    /// Starts fetching the first page of `request` at once.
    pub fn open(client: Client, request: ApiRequest, end_at: EndAt) -> PageStream {
        let (hand_over, pages) = mpsc::channel(1);
        let producer = runtime().spawn(produce(client, request, end_at, hand_over));
        PageStream { pages, producer, more: true }
    }

    /// The next page, or `None` when the list is over. Blocks the calling thread (not an async
    /// runtime's); returns [`Error::Cancelled`] as soon as `cancel` fires (and stops the producer).
    /// An error ends the stream.
    pub fn next_blocking(&mut self, cancel: &CancelSignal) -> Result<Option<ApiResponse>, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Request("PageStream::next_blocking was called on an async runtime thread".into()));
        }
        if !self.more {
            return Ok(None);
        }
        if cancel.is_cancelled() {
            return Err(self.stop_cancelled());
        }
        let handed = runtime().block_on(async {
            tokio::select! {
                handed = self.pages.recv() => Some(handed),
                () = cancel.cancelled() => None,
            }
        });
        match handed {
            None => Err(self.stop_cancelled()),
            // The producer ended without a last page: only an abort does that, and then nothing follows.
            Some(None) => {
                self.more = false;
                Ok(None)
            }
            Some(Some(Ok((page, more)))) => {
                self.more = more;
                Ok(Some(page))
            }
            Some(Some(Err(error))) => {
                self.more = false;
                Err(error)
            }
        }
    }

    /// Whether another page will come after the last one returned.
    pub fn has_more(&self) -> bool {
        self.more
    }

    fn stop_cancelled(&mut self) -> Error {
        self.producer.abort();
        self.more = false;
        Error::Cancelled
    }
}

impl Drop for PageStream {
    fn drop(&mut self) {
        self.producer.abort();
    }
}

/// Fetches the pages in order and hands each over once the caller has taken the one before; only then does
/// the next request go out, so no more than two pages are ever ahead of the caller.
async fn produce(client: Client, first: ApiRequest, end_at: EndAt, hand_over: mpsc::Sender<Handed>) {
    let mut template = first.clone();
    template.body = None;
    let mut next = Some((first, Duration::ZERO));
    while let Some((request, delay)) = next.take() {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let outcome = client.send(request).await;
        // Waits until the caller has taken the page before; fails when the caller is gone.
        let Ok(slot) = hand_over.reserve().await else { return };
        match outcome {
            Ok(page) => {
                next = follow_up(&page, end_at, &template);
                slot.send(Ok((page, next.is_some())));
            }
            Err(error) => {
                slot.send(Err(error));
                return;
            }
        }
    }
}

/// The request for the page after `page`, and how long to wait before it; `None` when the list is over.
fn follow_up(page: &ApiResponse, end_at: EndAt, template: &ApiRequest) -> Option<(ApiRequest, Duration)> {
    let next = page.next_uri.clone()?;
    let empty = is_empty_json_array(&page.body);
    let delay = match end_at {
        EndAt::NoNextLink => Duration::ZERO,
        EndAt::EmptyPage if empty => return None,
        EndAt::EmptyPage => Duration::ZERO,
        EndAt::Never { poll } if empty => poll,
        EndAt::Never { .. } => Duration::ZERO,
    };
    let mut request = template.clone();
    request.uri = Some(next);
    Some((request, delay))
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
