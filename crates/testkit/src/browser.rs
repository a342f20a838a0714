//! A headless Chromium driven over the W3C WebDriver protocol, for tests that look at a rendered page
//! (`report.html`) as a reader's browser shows it.
//!
//! [`Browser::start`] finds `chromedriver` and `chromium` (Debian's `chromium-driver` and `chromium`
//! packages; `SPELAB_CHROMEDRIVER` / `SPELAB_CHROMIUM` override the paths), starts chromedriver on a
//! free local port and opens a headless session. When either program is missing it returns `None`
//! after logging the skip like [`crate::shared_data`] does, except under CI (`CI=true`), where a
//! missing browser is a failure. The protocol is JSON over HTTP/1.1 on 127.0.0.1; the few requests the
//! tests need are written here on `std::net` (no TLS, no proxy, one request per connection), so the
//! test suite gains no dependency.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The WebDriver key under which an element reference is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver with one headless Chromium session; both end when it is dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

/// The first of `names` found as a file in a `PATH` folder, or the path in `env` when set.
fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

impl Browser {
    /// Starts chromedriver and a headless Chromium whose window is `width` × `height` CSS pixels, or
    /// `None` (skip logged) when chromium or chromedriver is not installed. Panics under CI when they
    /// are missing, and whenever they are present but do not start.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let driver = find_program("SPELAB_CHROMEDRIVER", &["chromedriver"]);
        let chromium =
            find_program("SPELAB_CHROMIUM", &["chromium", "chromium-browser", "google-chrome", "chrome"]);
        let (Some(driver), Some(chromium)) = (driver, chromium) else {
            crate::skip(
                "chromium or chromedriver not found (Debian: apt-get install chromium chromium-driver; \
                 or set SPELAB_CHROMIUM and SPELAB_CHROMEDRIVER)",
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free local port");
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let mut browser = Browser { driver: child, port, session: String::new() };
        let t0 = Instant::now();
        while browser.request("GET", "/status", None).is_err() {
            assert!(t0.elapsed() < Duration::from_secs(20), "chromedriver did not answer on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--allow-file-access-from-files", "--hide-scrollbars",
                         format!("--window-size={width},{height}")],
            },
        }}});
        let reply = browser.request("POST", "/session", Some(&capabilities)).expect("new session");
        browser.session =
            reply["sessionId"].as_str().unwrap_or_else(|| panic!("no session id in {reply}")).to_string();
        browser.resize(width, height);
        Some(browser)
    }

    /// One WebDriver command; the reply's `value`, or the error it names.
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| format!("connect: {e}"))?;
        stream.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(body.as_bytes()))
            .map_err(|e| e.to_string())?;
        let payload = read_reply(&mut stream).map_err(|e| format!("{method} {path}: {e}"))?;
        let reply: Value = serde_json::from_slice(&payload).map_err(|e| format!("{method} {path}: {e}"))?;
        let value = reply.get("value").cloned().unwrap_or(Value::Null);
        match value.get("error") {
            Some(error) => Err(format!("{method} {path}: {error}: {}", value["message"])),
            None => Ok(value),
        }
    }

    /// A command of this session (`"url"`, `"execute/sync"`); panics with the driver's error.
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}/{path}", self.session);
        self.request(method, &path, body.as_ref()).unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    /// Sets the window to `width` × `height` pixels.
    pub fn resize(&self, width: u32, height: u32) {
        self.command("POST", "window/rect", Some(json!({"width": width, "height": height})));
    }

    /// Opens a local file and waits until it has loaded.
    pub fn open(&self, file: &Path) {
        let absolute = file.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        self.command("POST", "url", Some(json!({"url": format!("file://{}", absolute.display())})));
    }

    /// Runs `script` (a function body; `arguments` as WebDriver passes them) and returns its result.
    pub fn run(&self, script: &str) -> Value {
        self.command("POST", "execute/sync", Some(json!({"script": script, "args": []})))
    }

    /// Runs an asynchronous `script` whose last argument is the callback that returns its result.
    pub fn run_async(&self, script: &str) -> Value {
        self.command("POST", "execute/async", Some(json!({"script": script, "args": []})))
    }

    /// The browser console entries since the last call, as `(level, message)` (chromedriver's log).
    pub fn console(&self) -> Vec<(String, String)> {
        let entries = self.command("POST", "se/log", Some(json!({"type": "browser"})));
        entries
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or("").to_string(),
                            e["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A PNG of the element matched by the CSS `selector` (panics when none matches).
    pub fn element_png(&self, selector: &str) -> Vec<u8> {
        let found =
            self.command("POST", "element", Some(json!({"using": "css selector", "value": selector})));
        let id = found[ELEMENT_KEY].as_str().unwrap_or_else(|| panic!("no element '{selector}'"));
        let b64 = self.command("GET", &format!("element/{id}/screenshot"), None);
        base64_decode(b64.as_str().expect("base64 screenshot")).expect("valid base64")
    }

    /// A PNG of the visible part of the page.
    pub fn screenshot_png(&self) -> Vec<u8> {
        let b64 = self.command("GET", "screenshot", None);
        base64_decode(b64.as_str().expect("base64 screenshot")).expect("valid base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The body of one HTTP reply: up to its `Content-Length`, to the last chunk of a chunked one, or to
/// the end of the stream (chromedriver may keep the connection open, so reading to the end alone
/// would wait for its timeout).
fn read_reply(stream: &mut TcpStream) -> Result<Vec<u8>, String> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let mut header: Option<(usize, String)> = None;
    loop {
        if header.is_none() {
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                header = Some((split + 4, String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase()));
            }
        }
        if let Some((start, text)) = &header {
            let body = &raw[*start..];
            let length = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(n) = length {
                if body.len() >= n {
                    return Ok(body[..n].to_vec());
                }
            } else if text.contains("transfer-encoding: chunked") && body.ends_with(b"0\r\n\r\n") {
                if let Ok(joined) = dechunk(body) {
                    return Ok(joined);
                }
            }
        }
        let n = stream.read(&mut buf).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            let (start, text) = header.ok_or("connection closed before the reply's header")?;
            let body = raw[start..].to_vec();
            return if text.contains("transfer-encoding: chunked") { dechunk(&body) } else { Ok(body) };
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

/// The body of a `Transfer-Encoding: chunked` reply.
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").ok_or("bad chunk header")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("chunk size '{size_text}': {e}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(data.get(..size).ok_or("short chunk")?);
        data = data.get(size + 2..).ok_or("short chunk")?;
    }
}

/// Standard base64 (RFC 4648, with padding) to bytes; `None` on a character outside the alphabet.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_the_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_decode(encoded).as_deref(), Some(plain.as_bytes()), "{encoded}");
        }
        assert_eq!(base64_decode("Zm9v!"), None);
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n").unwrap(), b"abcde");
        assert!(dechunk(b"zz\r\n").is_err());
    }
}
