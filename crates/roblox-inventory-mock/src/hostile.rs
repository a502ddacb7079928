//! Loopback servers that misbehave on purpose, to test a client against what a hostile or broken server may
//! send: a redirect to another host, a body that never ends, a `Content-Length` far too large, headers sent a byte
//! at a time, or a fixed answer of the test's choosing (text carrying terminal escape sequences, a 403 offering a
//! CSRF token).
//!
//! Each server runs on plain threads with blocking sockets, so it serves async tests and tests that run a
//! separate process alike, and it logs every request head it receives, so a test can check what reached it.
//!
//! ```
//! use roblox_inventory_mock::hostile::{Hostility, HostileServer};
//!
//! let elsewhere = HostileServer::start(Hostility::fixed(200, &[], "{}")).unwrap();
//! let redirecting = HostileServer::start(Hostility::Redirect {
//!     status: 302,
//!     location: format!("{}/stolen", elsewhere.url()),
//! })
//! .unwrap();
//! // ... point a client at `redirecting.url()`, then:
//! assert!(elsewhere.requests().is_empty(), "nothing followed the redirect");
//! ```

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How a [`HostileServer`] answers every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hostility {
    /// A redirect: `status` (301, 302, 307...) with this `Location` and an empty body.
    Redirect { status: u16, location: String },
    /// The same answer to every request: a status, headers and a body, then the connection is closed. Its
    /// `Content-Length` is added unless `headers` has one: declaring more than the body makes a body cut short.
    Fixed {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// `200 OK` with a chunked JSON-looking body that never ends.
    EndlessBody,
    /// `200 OK` declaring `Content-Length` bytes, then nothing: the connection is held open.
    DeclaredLength(u64),
    /// A `200 OK` status line and headers that never end, one byte every `interval`.
    SlowHeaders { interval: Duration },
}

impl Hostility {
    /// [`Hostility::Fixed`] from borrowed parts.
    pub fn fixed(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Hostility::Fixed {
            status,
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }
}

/// The head of a request a [`HostileServer`] received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// `GET`, `DELETE`...
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// Every header, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
}

impl ReceivedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A server on a free loopback port, answering as its [`Hostility`] says until it is dropped.
pub struct HostileServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    hostility: Hostility,
    stopping: AtomicBool,
    bytes_sent: AtomicU64,
    requests: Mutex<Vec<ReceivedRequest>>,
}

/// The most of a request head read; a client's request is far smaller.
const MAX_HEAD: usize = 64 * 1024;
/// How often a server that holds a connection looks whether it should stop.
const POLL: Duration = Duration::from_millis(20);

impl HostileServer {
    /// Starts the server on `127.0.0.1` and a free port.
    pub fn start(hostility: Hostility) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            hostility,
            stopping: AtomicBool::new(false),
            bytes_sent: AtomicU64::new(0),
            requests: Mutex::new(Vec::new()),
        });
        let accepting = shared.clone();
        let acceptor = std::thread::Builder::new()
            .name(format!("hostile-server-{}", address.port()))
            .spawn(move || accept(listener, accepting))?;
        Ok(Self {
            address,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every request head received so far, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.lock_requests().clone()
    }

    /// Bytes written to clients so far (of an endless body: how much the client took before it stopped).
    pub fn bytes_sent(&self) -> u64 {
        self.shared.bytes_sent.load(Ordering::Relaxed)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::Relaxed);
        // Wakes the blocking accept so that the acceptor sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Shared {
    fn lock_requests(&self) -> std::sync::MutexGuard<'_, Vec<ReceivedRequest>> {
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Writes `bytes` and counts them.
    fn send(&self, stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
        stream.write_all(bytes)?;
        self.bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping() {
            return;
        }
        let Ok(stream) = stream else { continue };
        let serving = shared.clone();
        // Connection threads end when the client goes away or the server stops; they are not joined.
        let _ = std::thread::Builder::new()
            .name("hostile-connection".to_owned())
            .spawn(move || {
                let _ = serve(stream, &serving);
            });
    }
}

fn serve(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(request) = read_head(&mut stream)? else {
        return Ok(());
    };
    shared.lock_requests().push(request);
    match &shared.hostility {
        Hostility::Redirect { status, location } => {
            let head = format!(
                "HTTP/1.1 {status} Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            shared.send(&mut stream, head.as_bytes())
        }
        Hostility::Fixed {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} Fixed\r\n");
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            if !headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            {
                head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            head.push_str("Connection: close\r\n\r\n");
            shared.send(&mut stream, head.as_bytes())?;
            shared.send(&mut stream, body)
        }
        Hostility::EndlessBody => {
            shared.send(
                &mut stream,
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            )?;
            let piece = format!("{:x}\r\n{}\r\n", 8192, "[".repeat(8192));
            while !shared.stopping() {
                shared.send(&mut stream, piece.as_bytes())?;
            }
            Ok(())
        }
        Hostility::DeclaredLength(length) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
            );
            shared.send(&mut stream, head.as_bytes())?;
            hold(&mut stream, shared)
        }
        Hostility::SlowHeaders { interval } => {
            let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
            for byte in head.iter().chain(std::iter::repeat(&b'x')) {
                if shared.stopping() {
                    break;
                }
                shared.send(&mut stream, std::slice::from_ref(byte))?;
                std::thread::sleep(*interval);
            }
            Ok(())
        }
    }
}

/// Keeps a connection open without writing, until the client closes it or the server stops.
fn hold(stream: &mut TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(POLL))?;
    let mut buffer = [0u8; 1024];
    while !shared.stopping() {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(error) => return Err(error),
        }
    }
    stream.shutdown(Shutdown::Both)
}

/// Reads a request head and skips its body (by `Content-Length`); `None` if the client sent no request.
fn read_head(stream: &mut TcpStream) -> io::Result<Option<ReceivedRequest>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD || stream.read(&mut byte)? == 0 {
            return Ok(None);
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let request = ReceivedRequest {
        method,
        target,
        headers,
    };
    let body_length = request
        .header("content-length")
        .and_then(|value| value.parse::<u64>().ok())
        .unwrap_or(0)
        .min(MAX_HEAD as u64);
    io::copy(&mut stream.take(body_length), &mut io::sink())?;
    Ok(Some(request))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(server: &HostileServer, request: &str) -> String {
        let mut stream = TcpStream::connect(server.address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn a_fixed_answer_is_sent_and_the_request_logged() {
        let server =
            HostileServer::start(Hostility::fixed(403, &[("x-csrf-token", "t")], "{}")).unwrap();
        let answer = exchange(
            &server,
            "POST /v1/x?y=1 HTTP/1.1\r\nHost: h\r\nX-Api-Key: k\r\nContent-Length: 2\r\n\r\n{}",
        );
        assert!(answer.starts_with("HTTP/1.1 403 "), "{answer}");
        assert!(answer.contains("x-csrf-token: t\r\n"), "{answer}");
        assert!(answer.ends_with("\r\n\r\n{}"), "{answer}");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[0].target, "/v1/x?y=1");
        assert_eq!(requests[0].header("x-api-key"), Some("k"));
        assert_eq!(server.bytes_sent(), answer.len() as u64);
    }

    #[test]
    fn a_declared_length_of_the_tests_own_is_kept() {
        let server =
            HostileServer::start(Hostility::fixed(200, &[("Content-Length", "100")], "{\"da"))
                .unwrap();
        let answer = exchange(&server, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assert!(answer.contains("Content-Length: 100\r\n"), "{answer}");
        assert_eq!(answer.matches("ontent-Length").count(), 1, "{answer}");
        assert!(answer.ends_with("\r\n\r\n{\"da"), "{answer}");
    }

    #[test]
    fn a_redirect_names_its_location() {
        let server = HostileServer::start(Hostility::Redirect {
            status: 307,
            location: "http://127.0.0.1:9/elsewhere".to_owned(),
        })
        .unwrap();
        let answer = exchange(&server, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assert!(answer.starts_with("HTTP/1.1 307 "), "{answer}");
        assert!(
            answer.contains("Location: http://127.0.0.1:9/elsewhere\r\n"),
            "{answer}"
        );
    }

    #[test]
    fn an_endless_body_goes_on_while_the_client_reads() {
        let server = HostileServer::start(Hostility::EndlessBody).unwrap();
        let mut stream = TcpStream::connect(server.address).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            .unwrap();
        let mut taken = 0;
        let mut buffer = [0u8; 65536];
        while taken < 1_000_000 {
            taken += stream.read(&mut buffer).unwrap();
        }
        // The server counts a chunk once its write returns, which can be after the client has read it.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while server.bytes_sent() < 1_000_000 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(server.bytes_sent() >= 1_000_000, "{}", server.bytes_sent());
    }

    #[test]
    fn slow_headers_come_a_byte_at_a_time() {
        let server = HostileServer::start(Hostility::SlowHeaders {
            interval: Duration::from_millis(50),
        })
        .unwrap();
        let mut stream = TcpStream::connect(server.address).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 64];
        let read = stream.read(&mut first).unwrap();
        // The status line alone is 17 bytes; only a stall of most of a second could gather it.
        assert!(read < "HTTP/1.1 200 OK\r\n".len(), "{read} bytes at once");
        assert_eq!(first[0], b'H');
    }
}
