//! Paging for both of Roblox's cursor styles, over any paged request and any executor.
//!
//! Legacy endpoints page with `cursor` / `nextPageCursor` (a string, `null` on the last page; an `int32` request
//! cursor for the places inventory), Open Cloud with `pageToken` / `nextPageToken` (absent or `""` on the last
//! page, and a non-empty token may still lead to an empty page, WIRE-QUIRKS 20). Which parameter and field carry
//! the cursor is a fact of each spec (`x-pagination`); `cargo xtask regen` turns it into an implementation of
//! [`PagedRequest`] for every paged operation: data that sets the cursor and reads a page. [`Scan`] follows the
//! cursors of any of them, sending each page through an [`Execute`]: until the end, a cap, an error or a cursor
//! the server already returned in this scan.

use std::collections::HashSet;
use std::fmt::{self, Debug};
use std::hash::Hash;

use crate::request::{Execute, Request};

use futures_core::Stream;
use futures_util::stream;

/// A cursor (page token) of a paged endpoint.
///
/// Implemented for `String` (legacy `nextPageCursor`, Open Cloud `nextPageToken`), `i32` (the places inventory's
/// request cursor) and `i64`. Cursors are compared and hashed to detect a server that sends a scan in circles;
/// `Send + Sync` keeps [`PaginationError`] usable as a `Box<dyn Error + Send + Sync>`.
pub trait Cursor: Clone + Eq + Hash + Debug + Send + Sync + 'static {
    /// Whether this value means "there is no next page" although it is present.
    ///
    /// Open Cloud ends a scan with `"nextPageToken": ""`, so the empty `String` is an end; no integer is.
    fn is_end(&self) -> bool {
        false
    }
}

impl Cursor for String {
    fn is_end(&self) -> bool {
        self.is_empty()
    }
}

impl Cursor for i32 {}

impl Cursor for i64 {}

/// What one answer of a paged operation holds: the page's items and the cursor of the next page.
///
/// `next` is `None`, or a cursor whose [`Cursor::is_end`] is true, on the last page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T, C> {
    /// The items of this page, in the server's order; may be empty even when a next page exists.
    pub items: Vec<T>,
    /// The cursor of the next page, as the server sent it.
    pub next: Option<C>,
}

/// A page as a scan yields it: its items and the cursors around it, so that a scan can be saved and resumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedPage<T, C> {
    /// The items of this page, cut short if [`Scan::max_items`] was reached on it (see `truncated`).
    pub items: Vec<T>,
    /// The cursor that fetched this page; `None` for the first page of a scan started from the beginning.
    pub cursor: Option<C>,
    /// Where to resume after this page, or `None` if this was the last page (an end cursor such as `""` is
    /// reported as `None`).
    pub next: Option<C>,
    /// Whether [`Scan::max_items`] cut items off the end of this page. Resuming from `next` then skips the
    /// items that were cut off; resuming from `cursor` fetches this page again, whose first `items.len()` items
    /// were already returned.
    pub truncated: bool,
}

/// A next cursor the server sent that its operation cannot send back: the places inventory pages with an
/// integer, and its answer carries the next one as a string.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?} is not the integer this operation pages with")]
pub struct InvalidCursor {
    /// The answer's field, such as `nextPageCursor`.
    pub field: &'static str,
    /// What the server sent.
    pub value: String,
}

/// Why a scan stopped early. After any of them the stream ends.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError<E, C> {
    /// Sending the page failed. No item of the failed page was returned: a scan started again from
    /// `resume_from` (with [`Scan::start_from`]) yields exactly the items this scan has not returned yet.
    #[error("fetching {} failed: {source}", describe_request(.resume_from))]
    Fetch {
        /// What the executor returned.
        source: E,
        /// The cursor of the page that failed; `None` if it was the first page of a scan from the beginning.
        resume_from: Option<C>,
    },
    /// The server returned a cursor it had already returned (or that started the scan): following it would
    /// repeat pages, maybe forever. The items of the page that carried it have been yielded.
    #[error(
        "the server returned the cursor {cursor:?} a second time in one scan; stopped instead of looping"
    )]
    CursorRepeated {
        /// The repeated cursor.
        cursor: C,
    },
    /// The page at `resume_from` came with a next cursor the operation cannot send; none of its items were
    /// returned.
    #[error("the answer to {} cannot be followed: {source}", describe_request(.resume_from))]
    InvalidCursor {
        /// What was wrong with the cursor.
        source: InvalidCursor,
        /// The cursor of the page that carried it.
        resume_from: Option<C>,
    },
}

fn describe_request<C: Debug>(cursor: &Option<C>) -> String {
    match cursor {
        None => "the first page".to_owned(),
        Some(cursor) => format!("the page at cursor {cursor:?}"),
    }
}

/// A request of a paged operation, as data: it sets its cursor, and reads the items and the next cursor out of
/// an answer.
///
/// `cargo xtask regen` implements it for the request builder of every operation its spec marks with
/// `x-pagination`. Sending is left to whoever scans it (an [`Execute`]), so the same request pages through a
/// plain `reqwest::Client` (the builder's own `.stream()`) or the facade's transport.
pub trait PagedRequest: Request + Clone {
    /// One item of a page.
    type Item;
    /// The operation's cursor.
    type Cursor: Cursor;

    /// This request for the page at `cursor` (`None`: the first page), asking for the largest page the
    /// operation allows.
    fn page_at(self, cursor: Option<Self::Cursor>) -> Self;

    /// The items and the next cursor of an answer.
    fn into_page(output: Self::Output) -> Result<Page<Self::Item, Self::Cursor>, InvalidCursor>;
}

/// One page of a [`Scan`] of `R` sent through `X`, or why the scan stopped.
pub type ScanResult<R, X> = Result<
    ScannedPage<<R as PagedRequest>::Item, <R as PagedRequest>::Cursor>,
    PaginationError<<X as Execute<R>>::Error, <R as PagedRequest>::Cursor>,
>;

/// A paged request and who sends it, ready to run: [`items`](Self::items) or [`pages`](Self::pages), after
/// [`max_items`](Self::max_items), [`max_pages`](Self::max_pages) or [`start_from`](Self::start_from) if wanted.
///
/// The streams fetch lazily (one page at a time, when the consumer needs it), spawn nothing, and stop when
/// dropped. Every parameter of the request is sent the same on every page; only the cursor changes. A scan:
/// - continues past an empty page while a cursor remains;
/// - ends on a `next` that is `None` or an end cursor ([`Cursor::is_end`], for example `""`), and on an empty
///   page whose `next` is the cursor that fetched it;
/// - ends with [`PaginationError::CursorRepeated`] when any other page returns a cursor returned (or started
///   from) before;
/// - ends with [`PaginationError::Fetch`] when the executor fails, and with [`PaginationError::InvalidCursor`] on
///   a next cursor the operation cannot send;
/// - stops at [`max_items`](Self::max_items) or [`max_pages`](Self::max_pages) without fetching another page.
pub struct Scan<R: PagedRequest, X: Execute<R>> {
    request: R,
    executor: X,
    start: Option<R::Cursor>,
    max_items: Option<usize>,
    max_pages: Option<usize>,
    refused: Option<X::Error>,
}

impl<R: PagedRequest, X: Execute<R>> Debug for Scan<R, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scan")
            .field("operation", &R::OPERATION.id)
            .field("start", &self.start)
            .field("max_items", &self.max_items)
            .field("max_pages", &self.max_pages)
            .field("refused", &self.refused.is_some())
            .finish_non_exhaustive()
    }
}

impl<R: PagedRequest, X: Execute<R>> Scan<R, X> {
    /// A scan of `request` sent through `executor`, from its first page, without caps.
    pub fn new(request: R, executor: X) -> Self {
        Self {
            request,
            executor,
            start: None,
            max_items: None,
            max_pages: None,
            refused: None,
        }
    }

    /// A scan that sends nothing and fails on its first page with `error`: for a request that cannot be sent
    /// as it was asked for (a parameter out of range, say), so that the caller meets the error where a scan's
    /// errors are met.
    pub fn refused(request: R, executor: X, error: X::Error) -> Self {
        Self {
            refused: Some(error),
            ..Self::new(request, executor)
        }
    }

    /// Starts the scan at a saved cursor ([`ScannedPage::next`], or [`PaginationError::Fetch`]'s `resume_from`)
    /// instead of the first page.
    ///
    /// `None`, or an end cursor such as `""` (which Roblox reads as "no token"), starts from the first page. A
    /// saved `next` of `None` means the earlier scan had finished: check it before resuming.
    pub fn start_from(mut self, cursor: impl Into<Option<R::Cursor>>) -> Self {
        self.start = cursor.into().filter(|cursor| !cursor.is_end());
        self
    }

    /// Yields at most `count` items, cutting the page that reaches the cap short, and fetches no page after it.
    ///
    /// Resuming is page-granular: see [`ScannedPage::truncated`]. To continue exactly after a cut page, resume
    /// from its `cursor` and skip its `items.len()` first items (`StreamExt::skip`).
    pub fn max_items(mut self, count: usize) -> Self {
        self.max_items = Some(count);
        self
    }

    /// Fetches at most `count` pages (empty pages count).
    pub fn max_pages(mut self, count: usize) -> Self {
        self.max_pages = Some(count);
        self
    }

    /// The pages of the scan, each with the cursor that fetched it and the cursor to resume from.
    ///
    /// The stream is `Unpin`, and `Send` when the request, the executor, their futures, the items, the error
    /// and the cursor are.
    pub fn pages(self) -> impl Stream<Item = ScanResult<R, X>> + Unpin {
        let Self {
            request,
            executor,
            start,
            max_items,
            max_pages,
            refused,
        } = self;
        let next_step = if max_items == Some(0) || max_pages == Some(0) {
            Step::Done
        } else if let Some(source) = refused {
            Step::Fail(PaginationError::Fetch {
                source,
                resume_from: start.clone(),
            })
        } else {
            Step::Fetch(start.clone())
        };
        let state = ScanState {
            request,
            executor,
            next_step,
            cursors_seen: start.into_iter().collect(),
            items_left: max_items,
            pages_left: max_pages,
        };
        Box::pin(stream::unfold(state, ScanState::advance))
    }

    /// The items of the scan, page after page; a page is fetched only once the items before it are consumed.
    ///
    /// The stream is `Unpin`, and `Send` when [`pages`](Self::pages) is.
    pub fn items(
        self,
    ) -> impl Stream<Item = Result<R::Item, PaginationError<X::Error, R::Cursor>>> + Unpin {
        Items::of(self.pages())
    }
}

/// The items of a stream of pages, one after the other: a page's items are handed out straight from its `Vec`,
/// since a scan yields every item of every page (this runs once per item of every scan).
struct Items<P, T> {
    pages: P,
    current: std::vec::IntoIter<T>,
}

// Items are moved out of the `Vec` by value, never pinned, so `Items` can move whatever `T` is.
impl<P: Unpin, T> Unpin for Items<P, T> {}

impl<P, T, C, E> Items<P, T>
where
    P: Stream<Item = Result<ScannedPage<T, C>, E>> + Unpin,
{
    fn of(pages: P) -> Self {
        Self {
            pages,
            current: Vec::new().into_iter(),
        }
    }
}

impl<P, T, C, E> Stream for Items<P, T>
where
    P: Stream<Item = Result<ScannedPage<T, C>, E>> + Unpin,
{
    type Item = Result<T, E>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.current.next() {
                return std::task::Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(std::pin::Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = page.items.into_iter(),
                Some(Err(error)) => return std::task::Poll::Ready(Some(Err(error))),
                None => return std::task::Poll::Ready(None),
            }
        }
    }
}

/// The next cursor of an operation whose request cursor is an integer (the places inventory) but whose response
/// sends it as a string, as the string says; `None` for an absent or blank one. Used by generated code.
pub fn integer_cursor<C: std::str::FromStr>(
    field: &'static str,
    next: Option<String>,
) -> Result<Option<C>, InvalidCursor> {
    match next.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| InvalidCursor {
            field,
            value: text.to_owned(),
        }),
    }
}

enum Step<E, C> {
    Fetch(Option<C>),
    Fail(PaginationError<E, C>),
    Done,
}

struct ScanState<R: PagedRequest, X: Execute<R>> {
    request: R,
    executor: X,
    next_step: Step<X::Error, R::Cursor>,
    /// Every cursor this scan has requested or will request, the start cursor included.
    cursors_seen: HashSet<R::Cursor>,
    items_left: Option<usize>,
    pages_left: Option<usize>,
}

impl<R: PagedRequest, X: Execute<R>> ScanState<R, X> {
    async fn advance(mut self) -> Option<(ScanResult<R, X>, Self)> {
        let cursor = match std::mem::replace(&mut self.next_step, Step::Done) {
            Step::Done => return None,
            Step::Fail(error) => return Some((Err(error), self)),
            Step::Fetch(cursor) => cursor,
        };
        let request = self.request.clone().page_at(cursor.clone());
        let output = match self.executor.execute(request).await {
            Ok(output) => output,
            Err(source) => {
                let error = PaginationError::Fetch {
                    source,
                    resume_from: cursor,
                };
                return Some((Err(error), self));
            }
        };
        let Page { mut items, next } = match R::into_page(output) {
            Ok(page) => page,
            Err(source) => {
                let error = PaginationError::InvalidCursor {
                    source,
                    resume_from: cursor,
                };
                return Some((Err(error), self));
            }
        };
        // An empty page that hands back the cursor it was fetched with has nothing after it (Open Cloud may
        // answer the last, empty page so); following it would fetch the same empty page forever.
        let next = next.filter(|next| {
            let empty_page_repeats_its_cursor = items.is_empty() && Some(next) == cursor.as_ref();
            !next.is_end() && !empty_page_repeats_its_cursor
        });

        let mut truncated = false;
        if let Some(items_left) = &mut self.items_left {
            truncated = items.len() > *items_left;
            items.truncate(*items_left);
            *items_left -= items.len();
        }
        if let Some(pages_left) = &mut self.pages_left {
            *pages_left -= 1;
        }
        let cap_reached = self.items_left == Some(0) || self.pages_left == Some(0);

        self.next_step = match &next {
            None => Step::Done,
            Some(_) if cap_reached => Step::Done,
            Some(next) if !self.cursors_seen.insert(next.clone()) => {
                Step::Fail(PaginationError::CursorRepeated {
                    cursor: next.clone(),
                })
            }
            Some(next) => Step::Fetch(Some(next.clone())),
        };
        let page = ScannedPage {
            items,
            cursor,
            next,
            truncated,
        };
        Some((Ok(page), self))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use std::future::Future;

    use futures_util::{StreamExt, TryStreamExt};

    use super::*;
    use crate::request::Operation;

    #[derive(Debug, PartialEq, Eq, thiserror::Error)]
    #[error("503 Service Unavailable")]
    struct Unavailable;

    /// An in-memory paged endpoint: the page each cursor leads to, and a log of the cursors it was asked for.
    #[derive(Clone)]
    struct FakeServer<C> {
        pages: Arc<HashMap<Option<C>, Page<u32, C>>>,
        requests: Arc<Mutex<Vec<Option<C>>>>,
        failures_left: Arc<Mutex<HashMap<Option<C>, usize>>>,
    }

    impl<C: Cursor> FakeServer<C> {
        fn new(pages: impl IntoIterator<Item = (Option<C>, Vec<u32>, Option<C>)>) -> Self {
            let pages = pages
                .into_iter()
                .map(|(cursor, items, next)| (cursor, Page { items, next }))
                .collect();
            Self {
                pages: Arc::new(pages),
                requests: Arc::default(),
                failures_left: Arc::default(),
            }
        }

        /// The next `times` requests for `cursor` fail.
        fn fail(self, cursor: Option<C>, times: usize) -> Self {
            self.failures_left.lock().unwrap().insert(cursor, times);
            self
        }

        fn serve(&self, cursor: Option<C>) -> Result<Page<u32, C>, Unavailable> {
            let mut requests = self.requests.lock().unwrap();
            // A paginator that loops would otherwise hang the test instead of failing it.
            assert!(
                requests.len() < 100,
                "the paginator kept fetching: {requests:?}"
            );
            requests.push(cursor.clone());
            drop(requests);
            if let Some(failures) = self.failures_left.lock().unwrap().get_mut(&cursor)
                && *failures > 0
            {
                *failures -= 1;
                return Err(Unavailable);
            }
            let page = self.pages.get(&cursor);
            Ok(page
                .cloned()
                .unwrap_or_else(|| panic!("no page at cursor {cursor:?}")))
        }

        fn requests(&self) -> Vec<Option<C>> {
            self.requests.lock().unwrap().clone()
        }

        fn request_count(&self) -> usize {
            self.requests.lock().unwrap().len()
        }
    }

    /// A request of the fake endpoint: only its cursor.
    #[derive(Clone, Debug)]
    struct FakeRequest<C> {
        cursor: Option<C>,
    }

    impl<C> FakeRequest<C> {
        fn first() -> Self {
            Self { cursor: None }
        }
    }

    impl<C: Cursor> Request for FakeRequest<C> {
        /// What the executor answers: a page, or a page whose next cursor cannot be sent.
        type Output = Result<Page<u32, C>, InvalidCursor>;
        type ErrorBody = ();

        const OPERATION: &'static Operation = &Operation {
            id: "listFakes",
            method: "GET",
            path: "/fakes",
            base_url: "http://fake.invalid",
        };

        fn path(&self) -> String {
            Self::OPERATION.path.to_owned()
        }

        fn into_request(self) -> Result<reqwest::Request, progenitor_client::Error> {
            let url = reqwest::Url::parse("http://fake.invalid/fakes").expect("a URL");
            Ok(reqwest::Request::new(reqwest::Method::GET, url))
        }

        fn decode(
            _: reqwest::StatusCode,
            _: &reqwest::header::HeaderMap,
            body: &bytes::Bytes,
        ) -> Result<Self::Output, progenitor_client::Error> {
            Err(progenitor_client::Error::InvalidResponsePayload(
                body.clone(),
                serde::de::Error::custom("the fake endpoint is served, not decoded"),
            ))
        }
    }

    impl<C: Cursor> PagedRequest for FakeRequest<C> {
        type Item = u32;
        type Cursor = C;

        fn page_at(self, cursor: Option<C>) -> Self {
            Self { cursor }
        }

        fn into_page(output: Self::Output) -> Result<Page<u32, C>, InvalidCursor> {
            output
        }
    }

    /// The fake server is the executor: it answers a request with the page at its cursor.
    impl<C: Cursor> Execute<FakeRequest<C>> for FakeServer<C> {
        type Error = Unavailable;

        fn execute(
            &self,
            request: FakeRequest<C>,
        ) -> impl Future<Output = Result<Result<Page<u32, C>, InvalidCursor>, Unavailable>> + Send
        {
            std::future::ready(self.serve(request.cursor).map(Ok))
        }
    }

    /// An executor whose answers after the first page carry a next cursor the operation cannot send, as a
    /// places inventory page whose `nextPageCursor` is not a number.
    struct UnsendableCursor<'a>(&'a FakeServer<String>);

    impl Execute<FakeRequest<String>> for UnsendableCursor<'_> {
        type Error = Unavailable;

        fn execute(
            &self,
            request: FakeRequest<String>,
        ) -> impl Future<Output = Result<Result<Page<u32, String>, InvalidCursor>, Unavailable>> + Send
        {
            let first = request.cursor.is_none();
            let answer = self.0.serve(request.cursor).map(|page| match page.next {
                Some(next) if !first => Err(InvalidCursor {
                    field: "nextPageCursor",
                    value: next,
                }),
                _ => Ok(page),
            });
            std::future::ready(answer)
        }
    }

    /// A scan of the fake endpoint; the server (a handle on shared state) is its executor.
    fn scan<C: Cursor>(server: &FakeServer<C>) -> Scan<FakeRequest<C>, FakeServer<C>> {
        Scan::new(FakeRequest::first(), server.clone())
    }

    fn token(value: &str) -> Option<String> {
        Some(value.to_owned())
    }

    /// Three pages linked by legacy-style cursors: 1 2 3 | 4 5 6 | 7 8, then `null`.
    fn three_legacy_pages() -> FakeServer<String> {
        FakeServer::new([
            (None, vec![1, 2, 3], token("c2")),
            (token("c2"), vec![4, 5, 6], token("c3")),
            (token("c3"), vec![7, 8], None),
        ])
    }

    #[tokio::test]
    async fn walks_the_cursor_sequence_in_order() {
        let server = three_legacy_pages();
        let items: Vec<u32> = scan(&server).items().try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(server.requests(), [None, token("c2"), token("c3")]);
    }

    #[tokio::test]
    async fn pages_carry_the_cursor_that_fetched_them_and_the_one_after() {
        let server = three_legacy_pages();
        let pages: Vec<_> = scan(&server).pages().try_collect().await.unwrap();
        let cursors: Vec<_> = pages
            .iter()
            .map(|page| (page.cursor.clone(), page.next.clone()))
            .collect();
        assert_eq!(
            cursors,
            [
                (None, token("c2")),
                (token("c2"), token("c3")),
                (token("c3"), None)
            ]
        );
        assert_eq!(pages[1].items, [4, 5, 6]);
        assert!(pages.iter().all(|page| !page.truncated));
    }

    #[tokio::test]
    async fn continues_past_an_empty_page_that_has_a_token() {
        let server = FakeServer::new([
            (None, vec![1, 2], token("t2")),
            (token("t2"), vec![], token("t3")),
            (token("t3"), vec![3], token("")),
        ]);
        let items: Vec<u32> = scan(&server).items().try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(server.request_count(), 3);
    }

    #[tokio::test]
    async fn an_empty_token_ends_the_scan_and_is_reported_as_no_next_page() {
        let server = FakeServer::new([
            (None, vec![1], token("t2")),
            (token("t2"), vec![], token("")),
        ]);
        let pages: Vec<_> = scan(&server).pages().try_collect().await.unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].next, None);
        assert_eq!(server.requests(), [None, token("t2")]);
    }

    #[tokio::test]
    async fn an_absent_cursor_ends_the_scan() {
        let server: FakeServer<String> = FakeServer::new([(None, vec![1, 2], None)]);
        let items: Vec<u32> = scan(&server).items().try_collect().await.unwrap();
        assert_eq!(items, [1, 2]);
        assert_eq!(server.request_count(), 1);
    }

    #[tokio::test]
    async fn a_repeated_cursor_is_an_error_after_the_items_before_it() {
        // c2 -> c3 -> c2 again: a loop the server would follow forever.
        let server = FakeServer::new([
            (None, vec![1], token("c2")),
            (token("c2"), vec![2], token("c3")),
            (token("c3"), vec![3], token("c2")),
        ]);
        let results: Vec<_> = scan(&server).items().collect().await;
        let (items, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        let items: Vec<u32> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(items, [1, 2, 3]);
        match errors.as_slice() {
            [Err(PaginationError::CursorRepeated { cursor })] => assert_eq!(cursor, "c2"),
            other => panic!("expected one CursorRepeated error at the end, got {other:?}"),
        }
        assert_eq!(server.request_count(), 3);
    }

    #[tokio::test]
    async fn an_empty_page_that_returns_the_cursor_it_was_sent_ends_the_scan() {
        let server = FakeServer::new([
            (None, vec![1, 2], token("djEv")),
            (token("djEv"), vec![], token("djEv")),
        ]);
        let pages: Vec<_> = scan(&server).pages().try_collect().await.unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].items, [1, 2]);
        assert_eq!(
            pages[1].next, None,
            "the scan ended; there is nothing to resume from"
        );
        assert_eq!(server.requests(), [None, token("djEv")]);
    }

    #[tokio::test]
    async fn a_page_with_items_that_returns_the_cursor_it_was_sent_is_an_error() {
        let server = FakeServer::new([
            (None, vec![1], token("c2")),
            (token("c2"), vec![2], token("c2")),
        ]);
        let results: Vec<_> = scan(&server).items().collect().await;
        assert_eq!(results.len(), 3);
        assert!(
            matches!(&results[2], Err(PaginationError::CursorRepeated { cursor }) if cursor == "c2")
        );
        assert_eq!(server.request_count(), 2);
    }

    #[tokio::test]
    async fn an_empty_page_that_returns_an_older_cursor_is_an_error() {
        let server = FakeServer::new([
            (None, vec![1], token("c2")),
            (token("c2"), vec![2], token("c3")),
            (token("c3"), vec![], token("c2")),
        ]);
        let results: Vec<_> = scan(&server).pages().collect().await;
        assert!(
            matches!(results.last(), Some(Err(PaginationError::CursorRepeated { cursor })) if cursor == "c2")
        );
        assert_eq!(server.request_count(), 3);
    }

    #[tokio::test]
    async fn a_cursor_that_repeats_the_start_cursor_is_an_error() {
        let server = FakeServer::new([(token("c2"), vec![2], token("c2"))]);
        let results: Vec<_> = scan(&server)
            .start_from(token("c2"))
            .pages()
            .collect()
            .await;
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap().items, [2]);
        assert!(
            matches!(&results[1], Err(PaginationError::CursorRepeated { cursor }) if cursor == "c2")
        );
        assert_eq!(server.request_count(), 1);
    }

    #[tokio::test]
    async fn max_items_cuts_the_last_page_and_fetches_nothing_after_it() {
        let server = three_legacy_pages();
        let items: Vec<u32> = scan(&server)
            .max_items(4)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(server.request_count(), 2);

        let server = three_legacy_pages();
        let pages: Vec<_> = scan(&server)
            .max_items(4)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].items, [4]);
        assert!(pages[1].truncated);
        assert_eq!(pages[1].cursor, token("c2"));
        assert_eq!(pages[1].next, token("c3"));
    }

    #[tokio::test]
    async fn max_items_at_a_page_boundary_does_not_fetch_the_next_page() {
        let server = three_legacy_pages();
        let pages: Vec<_> = scan(&server)
            .max_items(6)
            .pages()
            .try_collect()
            .await
            .unwrap();
        let items: Vec<u32> = pages.iter().flat_map(|page| page.items.clone()).collect();
        assert_eq!(items, [1, 2, 3, 4, 5, 6]);
        assert!(!pages[1].truncated);
        assert_eq!(pages[1].next, token("c3"));
        assert_eq!(server.request_count(), 2);
    }

    #[tokio::test]
    async fn a_cut_page_resumes_exactly_from_its_cursor_minus_the_items_returned() {
        let server = three_legacy_pages();
        let pages: Vec<_> = scan(&server)
            .max_items(4)
            .pages()
            .try_collect()
            .await
            .unwrap();
        let cut = pages.last().unwrap();
        let rest: Vec<u32> = scan(&server)
            .start_from(cut.cursor.clone())
            .items()
            .skip(cut.items.len())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(rest, [5, 6, 7, 8]);
    }

    #[tokio::test]
    async fn zero_caps_fetch_nothing() {
        let server = three_legacy_pages();
        let items: Vec<u32> = scan(&server)
            .max_items(0)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert!(items.is_empty());
        let pages: Vec<_> = scan(&server)
            .max_pages(0)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert!(pages.is_empty());
        assert_eq!(server.request_count(), 0);
    }

    #[tokio::test]
    async fn max_pages_stops_after_that_many_pages_even_empty_ones() {
        let server = FakeServer::new([
            (None, vec![1], token("t2")),
            (token("t2"), vec![], token("t3")),
            (token("t3"), vec![3], None),
        ]);
        let pages: Vec<_> = scan(&server)
            .max_pages(2)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].next, token("t3"));
        assert_eq!(server.request_count(), 2);
    }

    #[tokio::test]
    async fn start_from_a_saved_cursor_yields_exactly_the_remaining_items() {
        let server = three_legacy_pages();
        let mut pages = scan(&server).pages();
        let first = pages.try_next().await.unwrap().unwrap();
        drop(pages);
        assert_eq!(
            server.request_count(),
            1,
            "dropping the stream fetches nothing more"
        );

        let rest: Vec<u32> = scan(&server)
            .start_from(first.next)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(rest, [4, 5, 6, 7, 8]);
        assert_eq!(server.requests(), [None, token("c2"), token("c3")]);
    }

    #[tokio::test]
    async fn start_from_an_empty_token_starts_at_the_first_page() {
        let server = three_legacy_pages();
        let items: Vec<u32> = scan(&server)
            .start_from(String::new())
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(server.requests()[0], None);
    }

    #[tokio::test]
    async fn a_fetch_error_ends_the_scan_and_resuming_from_it_yields_exactly_the_rest() {
        let server = three_legacy_pages().fail(token("c3"), 1);
        let mut items = scan(&server).items();
        let mut returned = Vec::new();
        let resume_from = loop {
            match items.next().await {
                Some(Ok(item)) => returned.push(item),
                Some(Err(PaginationError::Fetch {
                    source,
                    resume_from,
                })) => {
                    assert_eq!(source, Unavailable);
                    break resume_from;
                }
                other => panic!("expected items then a fetch error, got {other:?}"),
            }
        };
        assert!(
            items.next().await.is_none(),
            "the stream ends after an error"
        );
        assert_eq!(returned, [1, 2, 3, 4, 5, 6]);
        assert_eq!(resume_from, token("c3"));

        let rest: Vec<u32> = scan(&server)
            .start_from(resume_from)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(rest, [7, 8]);
    }

    #[tokio::test]
    async fn a_failed_first_page_resumes_from_the_beginning() {
        let server = three_legacy_pages().fail(None, 1);
        let error = scan(&server)
            .items()
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        let PaginationError::Fetch { resume_from, .. } = error else {
            panic!("expected a fetch error, got {error:?}");
        };
        assert_eq!(resume_from, None);
        let items: Vec<u32> = scan(&server)
            .start_from(resume_from)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[tokio::test]
    async fn integer_cursors_work() {
        let server: FakeServer<i32> = FakeServer::new([
            (None, vec![1, 2], Some(2)),
            (Some(2), vec![3], Some(3)),
            (Some(3), vec![4], None),
        ]);
        let items: Vec<u32> = scan(&server).items().try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(server.requests(), [None, Some(2), Some(3)]);

        let server: FakeServer<i64> =
            FakeServer::new([(Some(7), vec![5], Some(0)), (Some(0), vec![6], Some(7))]);
        let results: Vec<_> = scan(&server).start_from(7).items().collect().await;
        assert!(matches!(
            results.as_slice(),
            [
                Ok(5),
                Ok(6),
                Err(PaginationError::CursorRepeated { cursor: 7 })
            ]
        ));
    }

    #[test]
    fn a_scan_shows_its_operation_where_it_starts_and_its_caps() {
        let server = three_legacy_pages();
        let scan = scan(&server)
            .start_from(token("c2"))
            .max_items(4)
            .max_pages(2);
        assert_eq!(
            format!("{scan:?}"),
            r#"Scan { operation: "listFakes", start: Some("c2"), max_items: Some(4), max_pages: Some(2), refused: false, .. }"#
        );
    }

    #[test]
    fn errors_say_which_page_failed_and_why() {
        let first: PaginationError<Unavailable, String> = PaginationError::Fetch {
            source: Unavailable,
            resume_from: None,
        };
        assert_eq!(
            first.to_string(),
            "fetching the first page failed: 503 Service Unavailable"
        );
        let later: PaginationError<Unavailable, String> = PaginationError::Fetch {
            source: Unavailable,
            resume_from: token("c3"),
        };
        assert_eq!(
            later.to_string(),
            r#"fetching the page at cursor "c3" failed: 503 Service Unavailable"#
        );
        assert!(std::error::Error::source(&later).is_some());
        let repeated: PaginationError<Unavailable, i32> =
            PaginationError::CursorRepeated { cursor: 4 };
        assert_eq!(
            repeated.to_string(),
            "the server returned the cursor 4 a second time in one scan; stopped instead of looping"
        );
    }

    fn assert_send<T: Send>(value: T) -> T {
        value
    }

    #[tokio::test]
    async fn a_scan_through_an_owned_executor_is_send_and_can_be_spawned() {
        let server = three_legacy_pages();
        let pages = assert_send(Scan::new(FakeRequest::first(), server.clone()).pages());
        let items = assert_send(Scan::new(FakeRequest::first(), server.clone()).items());
        drop(pages);
        let handle = tokio::spawn(items.try_collect::<Vec<u32>>());
        assert_eq!(handle.await.unwrap().unwrap(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(server.requests(), [None, token("c2"), token("c3")]);
    }

    #[tokio::test]
    async fn a_refused_scan_fails_its_first_page_without_sending() {
        let server = three_legacy_pages();
        let results: Vec<_> = Scan::refused(FakeRequest::first(), server.clone(), Unavailable)
            .start_from(token("c2"))
            .items()
            .collect()
            .await;
        match results.as_slice() {
            [
                Err(PaginationError::Fetch {
                    source,
                    resume_from,
                }),
            ] => {
                assert_eq!(*source, Unavailable);
                assert_eq!(*resume_from, token("c2"));
            }
            other => panic!("expected one fetch error, got {other:?}"),
        }
        assert_eq!(server.request_count(), 0);
    }

    #[tokio::test]
    async fn a_next_cursor_the_operation_cannot_send_fails_its_page() {
        let server = three_legacy_pages();
        let results: Vec<_> = Scan::new(FakeRequest::first(), UnsendableCursor(&server))
            .pages()
            .collect()
            .await;
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap().items, [1, 2, 3]);
        match &results[1] {
            Err(
                error @ PaginationError::InvalidCursor {
                    source,
                    resume_from,
                },
            ) => {
                assert_eq!(source.value, "c3");
                assert_eq!(*resume_from, token("c2"));
                assert_eq!(
                    error.to_string(),
                    r#"the answer to the page at cursor "c2" cannot be followed: nextPageCursor "c3" is not the integer this operation pages with"#
                );
            }
            other => panic!("expected an invalid cursor, got {other:?}"),
        }
    }

    #[test]
    fn integer_cursors_are_read_from_text() {
        assert_eq!(integer_cursor::<i32>("nextPageCursor", None), Ok(None));
        assert_eq!(
            integer_cursor::<i32>("nextPageCursor", Some(" ".into())),
            Ok(None)
        );
        assert_eq!(
            integer_cursor::<i32>("nextPageCursor", Some("25".into())),
            Ok(Some(25))
        );
        assert_eq!(
            integer_cursor::<i32>("nextPageCursor", Some("abc".into())),
            Err(InvalidCursor {
                field: "nextPageCursor",
                value: "abc".into()
            })
        );
    }
}
