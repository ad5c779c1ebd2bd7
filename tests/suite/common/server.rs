//! A running `briefing serve` on a fixture copy: the real binary on an ephemeral port, with
//! helpers to fetch pages, send raw requests and follow the live-reload event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Project;

/// Generous: a debug build on a busy two-core machine.
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Server {
    child: Option<Child>,
    pub url: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    pub location: Option<String>,
}

impl Server {
    /// Starts `briefing serve --port 0` in the project; returns once it prints its URL.
    pub fn start(project: &Project) -> Server {
        Server::start_with(project, &["--port", "0"])
    }

    /// Starts `briefing serve <args>` in the project; returns once it prints its URL.
    pub fn start_with(project: &Project, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("serve")
            .args(args)
            .current_dir(project.root())
            .env("NO_COLOR", "1")
            .env("BRIEFING_VERIFY_REUSE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefing serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (url_sender, url_receiver) = channel();
        collect(
            child.stdout.take().unwrap(),
            stdout.clone(),
            Some(url_sender),
        );
        collect(child.stderr.take().unwrap(), stderr.clone(), None);
        let url = url_receiver.recv_timeout(WAIT).unwrap_or_else(|_| {
            panic!(
                "the server printed no URL; stderr:\n{}",
                stderr.lock().unwrap()
            )
        });
        Server {
            child: Some(child),
            url,
            stdout,
            stderr,
        }
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// What the server printed once it has printed `text` (the lines after its URL come as
    /// the server goes on); fails after the usual wait.
    pub fn stdout_once(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let printed = self.stdout();
            if printed.contains(text) || started.elapsed() > WAIT {
                return printed;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn get(&self, path: &str) -> Fetched {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(WAIT))
            .build()
            .into();
        let mut response = agent
            .get(format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        Fetched {
            status: response.status().as_u16(),
            content_type,
            location,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// Sends `GET <target>` exactly as written (no client normalises it) and returns the
    /// status code and the body.
    pub fn raw_get(&self, target: &str) -> (u16, String) {
        let address = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {response:?}"));
        let body = response
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, body)| body.to_string());
        (status, body)
    }

    /// Sends `GET <target>` with exactly the header lines given (`Host` included, or not)
    /// and returns the status code and the body.
    pub fn get_with_headers(&self, target: &str, headers: &[String]) -> (u16, String) {
        let address = self.address();
        let mut stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut request = format!("GET {target} HTTP/1.1\r\n");
        for line in headers {
            request.push_str(line);
            request.push_str("\r\n");
        }
        request.push_str("Connection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        // The server may close before reading a long request whole: what came is enough.
        let _ = stream.read_to_end(&mut response);
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {response:?}"));
        let body = response
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, body)| body.to_string());
        (status, body)
    }

    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    }

    pub fn port(&self) -> u16 {
        self.address().rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn status(&self) -> Value {
        serde_json::from_str(&self.get("__briefing/status").body).unwrap()
    }

    /// Follows the live-reload stream as the page at `page` (a site path such as
    /// `fr/x/index.html`) would; returns once the server has said hello.
    pub fn events(&self, page: &str) -> Events {
        let url = format!("{}__briefing/events?path={page}", self.url);
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            let Ok(mut response) = ureq::get(&url).call() else {
                return;
            };
            let reader = BufReader::new(response.body_mut().as_reader());
            let mut name = String::new();
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(value) = line.strip_prefix("event: ") {
                    name = value.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    let value: Value = serde_json::from_str(data).unwrap_or(Value::Null);
                    if sender.send((name.clone(), value)).is_err() {
                        return;
                    }
                }
            }
        });
        let events = Events { receiver };
        events.next_named("hello");
        events
    }

    /// Sends Ctrl-C and waits for the process to end.
    pub fn interrupt(mut self) -> ExitStatus {
        let mut child = self.child.take().unwrap();
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < WAIT,
                "the server did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn collect(
    stream: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
    url: Option<std::sync::mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(url) = &url
                && let Some(at) = line.find("http://")
                && line.starts_with("Serving")
            {
                let _ = url.send(line[at..].trim().to_string());
            }
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
}

/// The events one page receives.
pub struct Events {
    receiver: Receiver<(String, Value)>,
}

impl Events {
    /// The next event called `name`, skipping others.
    pub fn next_named(&self, name: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.receiver.recv_timeout(left) {
                Ok((event, value)) if event == name => return value,
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => panic!("no \"{name}\" event within {WAIT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the event stream ended"),
            }
        }
    }

    /// The next build event.
    pub fn build(&self) -> Value {
        self.next_named("build")
    }

    /// Whether the stream ends (the server closed it) within the wait.
    pub fn ends(&self) -> bool {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.receiver.recv_timeout(left) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Disconnected) => return true,
                Err(RecvTimeoutError::Timeout) => return false,
            }
        }
    }
}
