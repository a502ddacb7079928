//! Paging for both of Roblox's cursor styles, over any paged request.
//!
//! Legacy endpoints page with `cursor` / `nextPageCursor` (a string, `null` on the last page; an `int32` request
//! cursor for the places inventory), Open Cloud with `pageToken` / `nextPageToken` (absent or `""` on the last
//! page, and a non-empty token may still lead to an empty page, WIRE-QUIRKS 20). Which parameter and field carry
//! the cursor is a fact of each spec (`x-pagination`); `cargo xtask regen` turns it into an implementation of
//! [`PagedRequest`] for every paged operation, and [`Scan`] follows the cursors of any of them. [`Paginator`]
//! does the same for a fetcher of your own: it knows nothing about HTTP, and follows the cursors a fetcher returns
//! until the end, a cap, an error or a cursor the server already returned in this scan.

use std::collections::HashSet;
use std::fmt::{self, Debug};
use std::future::Future;
use std::hash::Hash;

use crate::operation::Request;

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

/// What a fetcher returns for one request: the page's items and the cursor of the next page.
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
    /// The items of this page, cut short if [`Paginator::max_items`] was reached on it (see `truncated`).
    pub items: Vec<T>,
    /// The cursor that fetched this page; `None` for the first page of a scan started from the beginning.
    pub cursor: Option<C>,
    /// Where to resume after this page, or `None` if this was the last page (an end cursor such as `""` is
    /// reported as `None`).
    pub next: Option<C>,
    /// Whether [`Paginator::max_items`] cut items off the end of this page. Resuming from `next` then skips the
    /// items that were cut off; resuming from `cursor` fetches this page again, whose first `items.len()` items
    /// were already returned.
    pub truncated: bool,
}

/// Why a scan stopped early. After either error the stream ends.
#[derive(Debug, thiserror::Error)]
pub enum PaginationError<E, C> {
    /// The fetcher failed. No item of the failed page was returned: a scan started again from `resume_from`
    /// (with [`Paginator::start_from`]) yields exactly the items this scan has not returned yet.
    #[error("fetching {} failed: {source}", describe_request(.resume_from))]
    Fetch {
        /// What the fetcher returned.
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
}

fn describe_request<C: Debug>(cursor: &Option<C>) -> String {
    match cursor {
        None => "the first page".to_owned(),
        Some(cursor) => format!("the page at cursor {cursor:?}"),
    }
}

/// Follows the cursors of a paged endpoint, fetching each page with a caller-supplied async fetcher.
///
/// The fetcher is called with `None` (or the [`start_from`](Self::start_from) cursor), then with each `next` cursor
/// it returned. The streams fetch lazily (one page at a time, when the consumer needs it), spawn nothing, and stop
/// when dropped. A scan:
/// - continues past an empty page while a cursor remains;
/// - ends on a `next` that is `None` or an end cursor ([`Cursor::is_end`], for example `""`), and on an empty
///   page whose `next` is the cursor that fetched it;
/// - ends with [`PaginationError::CursorRepeated`] when any other page returns a cursor returned (or started
///   from) before;
/// - ends with [`PaginationError::Fetch`] when the fetcher fails;
/// - stops at [`max_items`](Self::max_items) or [`max_pages`](Self::max_pages) without fetching another page.
///
/// ```
/// use futures_util::TryStreamExt;
/// use roblox_inventory_core::{Page, Paginator};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // A server with two pages, linked by the cursor "p2".
/// let fetch = |cursor: Option<String>| async move {
///     Ok::<_, std::io::Error>(match cursor.as_deref() {
///         None => Page { items: vec![1, 2], next: Some("p2".to_owned()) },
///         _ => Page { items: vec![3], next: None },
///     })
/// };
/// let items: Vec<u32> = Paginator::new(fetch).items().try_collect().await?;
/// assert_eq!(items, [1, 2, 3]);
///
/// // Save the cursor after each page, and resume from it later.
/// let mut pages = Paginator::new(fetch).max_pages(1).pages();
/// let first = pages.try_next().await?.expect("a first page");
/// let rest: Vec<u32> = Paginator::new(fetch).start_from(first.next).items().try_collect().await?;
/// assert_eq!(rest, [3]);
/// # Ok(())
/// # }
/// ```
pub struct Paginator<F, C> {
    fetch: F,
    start: Option<C>,
    max_items: Option<usize>,
    max_pages: Option<usize>,
}

impl<F, C: Debug> Debug for Paginator<F, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("start", &self.start)
            .field("max_items", &self.max_items)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<F, Fut, T, E, C> Paginator<F, C>
where
    F: FnMut(Option<C>) -> Fut,
    Fut: Future<Output = Result<Page<T, C>, E>>,
    C: Cursor,
{
    /// A paginator that scans from the first page, without caps.
    pub fn new(fetch: F) -> Self {
        Self {
            fetch,
            start: None,
            max_items: None,
            max_pages: None,
        }
    }

    /// Starts the scan at a saved cursor ([`ScannedPage::next`], or [`PaginationError::Fetch`]'s `resume_from`)
    /// instead of the first page.
    ///
    /// `None`, or an end cursor such as `""` (which Roblox reads as "no token"), starts from the first page. A
    /// saved `next` of `None` means the earlier scan had finished: check it before resuming.
    pub fn start_from(mut self, cursor: impl Into<Option<C>>) -> Self {
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
    /// The stream is `Unpin`, and `Send` when the fetcher, its futures, the items, the error and the cursor are.
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<ScannedPage<T, C>, PaginationError<E, C>>> + Unpin {
        Box::pin(self.scan())
    }

    /// The items of the scan, page after page; a page is fetched only once the items before it are consumed.
    ///
    /// The stream is `Unpin`, and `Send` when the fetcher, its futures, the items, the error and the cursor are.
    pub fn items(self) -> impl Stream<Item = Result<T, PaginationError<E, C>>> + Unpin {
        Items::of(self.pages())
    }

    fn scan(self) -> impl Stream<Item = Result<ScannedPage<T, C>, PaginationError<E, C>>> {
        let Self {
            fetch,
            start,
            max_items,
            max_pages,
        } = self;
        let next_step = if max_items == Some(0) || max_pages == Some(0) {
            Step::Done
        } else {
            Step::Fetch(start.clone())
        };
        let state = ScanState {
            fetch,
            next_step,
            cursors_seen: start.into_iter().collect(),
            items_left: max_items,
            pages_left: max_pages,
        };
        stream::unfold(state, ScanState::advance)
    }
}

/// A request of a paged operation: it can be sent once per page, for the page at a cursor.
///
/// `cargo xtask regen` implements it for the request builder of every operation its spec marks with
/// `x-pagination`: `page` sets the cursor parameter (or leaves it out for the first page), asks for the largest
/// page the operation allows, sends, and takes the items and the next cursor out of the response.
pub trait PagedRequest: Request + Clone {
    /// One item of a page.
    type Item;
    /// The operation's cursor.
    type Cursor: Cursor;

    /// The page at `cursor`; `None` is the first page.
    fn page(
        self,
        cursor: Option<Self::Cursor>,
    ) -> impl Future<Output = Result<Page<Self::Item, Self::Cursor>, Self::Error>> + Send;
}

/// One page of a [`Scan`] of `R`, or why the scan stopped.
pub type ScanResult<R> = Result<
    ScannedPage<<R as PagedRequest>::Item, <R as PagedRequest>::Cursor>,
    PaginationError<<R as Request>::Error, <R as PagedRequest>::Cursor>,
>;

/// A paged request, ready to run: [`items`](Self::items) or [`pages`](Self::pages), after
/// [`max_items`](Self::max_items), [`max_pages`](Self::max_pages) or [`start_from`](Self::start_from) if wanted.
///
/// It follows the cursors as [`Paginator`] does (past empty pages, to a null, absent or empty cursor, stopping
/// with an error on a cursor the server returned before), and sends every other parameter of the request the
/// same on every page.
#[derive(Clone, Debug)]
pub struct Scan<R: PagedRequest> {
    request: R,
    start: Option<R::Cursor>,
    max_items: Option<usize>,
    max_pages: Option<usize>,
}

impl<R: PagedRequest> Scan<R> {
    /// A scan of `request` from its first page, without caps.
    pub fn new(request: R) -> Self {
        Self {
            request,
            start: None,
            max_items: None,
            max_pages: None,
        }
    }

    /// Starts at a saved cursor; see [`Paginator::start_from`].
    pub fn start_from(mut self, cursor: impl Into<Option<R::Cursor>>) -> Self {
        self.start = cursor.into();
        self
    }

    /// Yields at most `count` items; see [`Paginator::max_items`].
    pub fn max_items(mut self, count: usize) -> Self {
        self.max_items = Some(count);
        self
    }

    /// Fetches at most `count` pages; see [`Paginator::max_pages`].
    pub fn max_pages(mut self, count: usize) -> Self {
        self.max_pages = Some(count);
        self
    }

    /// The same scan (start and caps kept) of the request `f` makes of this one: a wrapper of the request, or
    /// the same operation with another item type.
    pub fn map_request<Q: PagedRequest<Cursor = R::Cursor>>(
        self,
        f: impl FnOnce(R) -> Q,
    ) -> Scan<Q> {
        Scan {
            request: f(self.request),
            start: self.start,
            max_items: self.max_items,
            max_pages: self.max_pages,
        }
    }

    /// The pages of the scan; see [`Paginator::pages`].
    pub fn pages(self) -> impl Stream<Item = ScanResult<R>> + Unpin {
        let Self {
            request,
            start,
            max_items,
            max_pages,
        } = self;
        Paginator {
            fetch: move |cursor| request.clone().page(cursor),
            start: start.filter(|cursor| !cursor.is_end()),
            max_items,
            max_pages,
        }
        .pages()
    }

    /// The items of the scan, page after page; see [`Paginator::items`].
    pub fn items(
        self,
    ) -> impl Stream<Item = Result<R::Item, PaginationError<R::Error, R::Cursor>>> + Unpin {
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
/// sends it as a string, as the string says; `None` for an absent or blank one. Used by generated code; the error
/// names `field` and the value.
pub fn integer_cursor<C: std::str::FromStr>(
    field: &str,
    next: Option<String>,
) -> Result<Option<C>, String> {
    match next.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| format!("{field} {text:?} is not the integer this operation pages with")),
    }
}

enum Step<E, C> {
    Fetch(Option<C>),
    Fail(PaginationError<E, C>),
    Done,
}

struct ScanState<F, E, C> {
    fetch: F,
    next_step: Step<E, C>,
    /// Every cursor this scan has requested or will request, the start cursor included.
    cursors_seen: HashSet<C>,
    items_left: Option<usize>,
    pages_left: Option<usize>,
}

impl<F, Fut, T, E, C> ScanState<F, E, C>
where
    F: FnMut(Option<C>) -> Fut,
    Fut: Future<Output = Result<Page<T, C>, E>>,
    C: Cursor,
{
    async fn advance(mut self) -> Option<(Result<ScannedPage<T, C>, PaginationError<E, C>>, Self)> {
        let cursor = match std::mem::replace(&mut self.next_step, Step::Done) {
            Step::Done => return None,
            Step::Fail(error) => return Some((Err(error), self)),
            Step::Fetch(cursor) => cursor,
        };
        let Page { mut items, next } = match (self.fetch)(cursor.clone()).await {
            Ok(page) => page,
            Err(source) => {
                let error = PaginationError::Fetch {
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

    use futures_util::{StreamExt, TryStreamExt};

    use super::*;

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

        fn fetcher(
            &self,
        ) -> impl FnMut(Option<C>) -> std::future::Ready<Result<Page<u32, C>, Unavailable>> + Send + use<C>
        {
            let server = self.clone();
            move |cursor| std::future::ready(server.serve(cursor))
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
        let items: Vec<u32> = Paginator::new(server.fetcher())
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(server.requests(), [None, token("c2"), token("c3")]);
    }

    #[tokio::test]
    async fn pages_carry_the_cursor_that_fetched_them_and_the_one_after() {
        let server = three_legacy_pages();
        let pages: Vec<_> = Paginator::new(server.fetcher())
            .pages()
            .try_collect()
            .await
            .unwrap();
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
        let items: Vec<u32> = Paginator::new(server.fetcher())
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(server.request_count(), 3);
    }

    #[tokio::test]
    async fn an_empty_token_ends_the_scan_and_is_reported_as_no_next_page() {
        let server = FakeServer::new([
            (None, vec![1], token("t2")),
            (token("t2"), vec![], token("")),
        ]);
        let pages: Vec<_> = Paginator::new(server.fetcher())
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].next, None);
        assert_eq!(server.requests(), [None, token("t2")]);
    }

    #[tokio::test]
    async fn an_absent_cursor_ends_the_scan() {
        let server: FakeServer<String> = FakeServer::new([(None, vec![1, 2], None)]);
        let items: Vec<u32> = Paginator::new(server.fetcher())
            .items()
            .try_collect()
            .await
            .unwrap();
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
        let results: Vec<_> = Paginator::new(server.fetcher()).items().collect().await;
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
        let pages: Vec<_> = Paginator::new(server.fetcher())
            .pages()
            .try_collect()
            .await
            .unwrap();
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
        let results: Vec<_> = Paginator::new(server.fetcher()).items().collect().await;
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
        let results: Vec<_> = Paginator::new(server.fetcher()).pages().collect().await;
        assert!(
            matches!(results.last(), Some(Err(PaginationError::CursorRepeated { cursor })) if cursor == "c2")
        );
        assert_eq!(server.request_count(), 3);
    }

    #[tokio::test]
    async fn a_cursor_that_repeats_the_start_cursor_is_an_error() {
        let server = FakeServer::new([(token("c2"), vec![2], token("c2"))]);
        let results: Vec<_> = Paginator::new(server.fetcher())
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
        let items: Vec<u32> = Paginator::new(server.fetcher())
            .max_items(4)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(server.request_count(), 2);

        let server = three_legacy_pages();
        let pages: Vec<_> = Paginator::new(server.fetcher())
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
        let pages: Vec<_> = Paginator::new(server.fetcher())
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
        let pages: Vec<_> = Paginator::new(server.fetcher())
            .max_items(4)
            .pages()
            .try_collect()
            .await
            .unwrap();
        let cut = pages.last().unwrap();
        let rest: Vec<u32> = Paginator::new(server.fetcher())
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
        let items: Vec<u32> = Paginator::new(server.fetcher())
            .max_items(0)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert!(items.is_empty());
        let pages: Vec<_> = Paginator::new(server.fetcher())
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
        let pages: Vec<_> = Paginator::new(server.fetcher())
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
        let mut pages = Paginator::new(server.fetcher()).pages();
        let first = pages.try_next().await.unwrap().unwrap();
        drop(pages);
        assert_eq!(
            server.request_count(),
            1,
            "dropping the stream fetches nothing more"
        );

        let rest: Vec<u32> = Paginator::new(server.fetcher())
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
        let items: Vec<u32> = Paginator::new(server.fetcher())
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
        let mut items = Paginator::new(server.fetcher()).items();
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

        let rest: Vec<u32> = Paginator::new(server.fetcher())
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
        let error = Paginator::new(server.fetcher())
            .items()
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        let PaginationError::Fetch { resume_from, .. } = error else {
            panic!("expected a fetch error, got {error:?}");
        };
        assert_eq!(resume_from, None);
        let items: Vec<u32> = Paginator::new(server.fetcher())
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
        let items: Vec<u32> = Paginator::new(server.fetcher())
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(server.requests(), [None, Some(2), Some(3)]);

        let server: FakeServer<i64> =
            FakeServer::new([(Some(7), vec![5], Some(0)), (Some(0), vec![6], Some(7))]);
        let results: Vec<_> = Paginator::new(server.fetcher())
            .start_from(7)
            .items()
            .collect()
            .await;
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
    fn a_paginator_shows_where_it_starts_and_its_caps() {
        let server = three_legacy_pages();
        let paginator = Paginator::new(server.fetcher())
            .start_from(token("c2"))
            .max_items(4)
            .max_pages(2);
        assert_eq!(
            format!("{paginator:?}"),
            r#"Paginator { start: Some("c2"), max_items: Some(4), max_pages: Some(2), .. }"#
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

    /// Stands in for a generated progenitor request builder: `Clone`, consumed by `send`.
    #[derive(Clone)]
    struct FakeRequest {
        server: FakeServer<String>,
        cursor: Option<String>,
    }

    struct FakeResponse {
        data: Vec<u32>,
        next_page_cursor: Option<String>,
    }

    impl FakeRequest {
        fn cursor(mut self, cursor: Option<String>) -> Self {
            self.cursor = cursor;
            self
        }

        async fn send(self) -> Result<FakeResponse, Unavailable> {
            tokio::task::yield_now().await;
            let page = self.server.serve(self.cursor)?;
            Ok(FakeResponse {
                data: page.items,
                next_page_cursor: page.next,
            })
        }
    }

    fn assert_send<T: Send>(value: T) -> T {
        value
    }

    #[tokio::test]
    async fn a_closure_that_clones_a_captured_request_per_call_drives_send_streams() {
        let server = three_legacy_pages();
        let builder = FakeRequest {
            server: server.clone(),
            cursor: None,
        };
        let paginator = Paginator::new(move |cursor| {
            let request = builder.clone();
            async move {
                let page = request.cursor(cursor).send().await?;
                // As in any async block, `?` needs the error type named once.
                Ok::<_, Unavailable>(Page {
                    items: page.data,
                    next: page.next_page_cursor,
                })
            }
        });
        let _pages_are_send_too = assert_send(Paginator::new(server.fetcher()).pages());
        let items = assert_send(paginator.items());
        let handle = tokio::spawn(items.try_collect::<Vec<u32>>());
        assert_eq!(handle.await.unwrap().unwrap(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(server.requests(), [None, token("c2"), token("c3")]);
    }
}
