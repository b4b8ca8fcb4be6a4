//! A real PostgreSQL for the shared store's tests. PostgreSQL refuses to run as root and the
//! tests run as root, so the server runs as the `postgres` user (`runuser`).
//!
//! [`shared`]: ONE server for the whole test run, whatever the number of test binaries: its data
//! directory is `target/test-postgres/data`, its start guarded by an flock on
//! `target/test-postgres/lock`, and it is reused when it already runs (it is left running
//! after the tests: the next run starts faster). It listens only on a Unix socket in
//! `target/test-postgres/sock` with `trust` for local connections (nothing else can reach it).
//! Each test gets a database of its own ([`Server::database`]).
//!
//! [`Server::private`]: a server of the test's own (in a temp dir, stopped on drop), for the
//! outage tests, which stop and start it.

use std::fs::{self, File};
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::artifacts::target_dir;

const SHARED_PORT: u16 = 54_329;

pub struct Server {
    bin: PathBuf,
    data: PathBuf,
    socket_dir: PathBuf,
    /// The server's log, in a directory the postgres user owns.
    log: PathBuf,
    port: u16,
    /// More `postgres` options (a TLS server's TCP listener and certificate).
    options: String,
    /// A private server's temp dir (removed, with the server stopped, on drop).
    _private: Option<tempfile::TempDir>,
}

/// A database of one test's own on a server.
pub struct Database {
    pub name: String,
    /// `postgres://postgres@/NAME?host=SOCKETDIR&port=PORT`
    pub url: String,
}

/// The newest PostgreSQL installed (`/usr/lib/postgresql/<version>/bin`).
pub fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (scripts/deps.sh test)")
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .expect("a /usr/lib/postgresql/*/bin with pg_ctl")
        .1
}

/// The shared server, started (or found running) once per process.
pub fn shared() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let root = target_dir().join("test-postgres");
        fs::create_dir_all(&root).expect("target/test-postgres");
        let lock = File::create(root.join("lock")).expect("lock file");
        // SAFETY: flock on a descriptor we own; released when `lock` is dropped.
        let rc = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(rc, 0, "flock target/test-postgres/lock");
        let server = Server::at(&root, SHARED_PORT, None);
        if !server.is_running() {
            server.start();
        }
        drop(lock);
        server
    })
}

impl Server {
    /// A server of the test's own, started.
    pub fn private() -> Server {
        let dir = tempfile::Builder::new()
            .prefix("mfa-pg-")
            .tempdir()
            .expect("temp dir for a private PostgreSQL");
        let root = dir.path().to_path_buf();
        // The socket is in the server's own directory: the port only names its file.
        let server = Server::at(&root, 5432, Some(dir));
        server.start();
        server
    }

    /// A private server that also listens on 127.0.0.1 with TLS on: `cert` and `key` (PEM, the
    /// server's own) are copied where the postgres user owns them. Its TCP URL: [`tcp_url`].
    pub fn private_tls(cert: &Path, key: &Path) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("mfa-pg-tls-")
            .tempdir()
            .expect("temp dir for a private PostgreSQL");
        let root = dir.path().to_path_buf();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = Server::at(&root, port, Some(dir));
        let tls = root.join("tls");
        fs::create_dir_all(&tls).expect("tls dir");
        for (from, name) in [(cert, "server.crt"), (key, "server.key")] {
            let to = tls.join(name);
            fs::copy(from, &to).expect("copy");
            fs::set_permissions(&to, fs::Permissions::from_mode(0o600)).expect("chmod");
            chown_postgres(&to);
        }
        chown_postgres(&tls);
        server.options = format!(
            "-c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            tls.join("server.crt").display(),
            tls.join("server.key").display()
        );
        server.start();
        server
    }

    /// `postgres://postgres@HOST:PORT/DATABASE` over TCP (a [`Server::private_tls`] server).
    pub fn tcp_url(&self, host: &str, database: &str) -> String {
        format!("postgres://postgres@{host}:{}/{database}", self.port)
    }

    fn at(root: &Path, port: u16, private: Option<tempfile::TempDir>) -> Server {
        let server = Server {
            bin: bin_dir(),
            data: root.join("data"),
            socket_dir: root.join("sock"),
            log: root.join("log").join("server.log"),
            port,
            options: String::new(),
            _private: private,
        };
        // The postgres user must reach the directory (a temp dir is 0700 root).
        fs::set_permissions(root, fs::Permissions::from_mode(0o755)).expect("chmod");
        for dir in [&server.data, &server.socket_dir, &root.join("log")] {
            if !dir.exists() {
                fs::create_dir_all(dir).expect("create dir");
                chown_postgres(dir);
            }
        }
        fs::set_permissions(&server.data, fs::Permissions::from_mode(0o700)).expect("chmod");
        if !server.data.join("PG_VERSION").exists() {
            let out = as_postgres(
                Command::new(server.bin.join("initdb"))
                    .args([
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                        "-E",
                        "UTF8",
                        "--no-sync",
                        "-D",
                    ])
                    .arg(&server.data),
            );
            assert!(out.status.success(), "initdb: {}", text(&out));
        }
        server
    }

    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    pub fn is_running(&self) -> bool {
        let out = as_postgres(
            Command::new(self.bin.join("pg_ctl"))
                .arg("status")
                .arg("-D")
                .arg(&self.data),
        );
        out.status.success()
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start(&self) {
        let listen = if self.options.is_empty() {
            "''"
        } else {
            "127.0.0.1"
        };
        let options = format!(
            "-k {} -c listen_addresses={listen} -p {} -c max_connections=200 {}",
            self.socket_dir.display(),
            self.port,
            self.options
        );
        let log = &self.log;
        let out = as_postgres(
            Command::new(self.bin.join("pg_ctl"))
                .args(["start", "-w", "-t", "60", "-o", &options, "-l"])
                .arg(log)
                .arg("-D")
                .arg(&self.data),
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}\n{}",
            text(&out),
            fs::read_to_string(log).unwrap_or_default()
        );
    }

    /// Stops the server at once (connections are cut, as a crash or a network loss would).
    pub fn stop(&self) {
        let out = as_postgres(
            Command::new(self.bin.join("pg_ctl"))
                .args(["stop", "-w", "-m", "immediate", "-D"])
                .arg(&self.data),
        );
        assert!(out.status.success(), "pg_ctl stop: {}", text(&out));
    }

    /// A fresh, empty database of the caller's own.
    pub fn database(&self) -> Database {
        let name = format!("t_{}_{}", std::process::id(), next_number());
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        Database {
            url: self.url(&name),
            name,
        }
    }

    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@/{database}?host={}&port={}",
            self.socket_dir.display(),
            self.port
        )
    }

    /// psql's unaligned output of `sql` in `database` (panics on an error).
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let out = self.try_psql(database, sql);
        assert!(out.status.success(), "psql {sql}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn try_psql(&self, database: &str, sql: &str) -> Output {
        Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-U",
                "postgres",
                "-h",
            ])
            .arg(&self.socket_dir)
            .args(["-p", &self.port.to_string(), "-d", database, "-c", sql])
            .output()
            .expect("run psql")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self._private.is_some() && self.is_running() {
            self.stop();
        }
    }
}

fn next_number() -> u32 {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    N.fetch_add(1, Ordering::Relaxed) * 1000 + nanos % 1000
}

fn postgres_ids() -> (u32, u32) {
    let name = std::ffi::CString::new("postgres").expect("no NUL");
    // SAFETY: getpwnam with a valid C string; the result is read at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    assert!(!pw.is_null(), "no postgres user (scripts/deps.sh test)");
    // SAFETY: checked non-null above.
    unsafe { ((*pw).pw_uid, (*pw).pw_gid) }
}

fn chown_postgres(path: &Path) {
    let (uid, gid) = postgres_ids();
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chown to postgres");
}

/// Runs `command` as the postgres user (PostgreSQL refuses root).
fn as_postgres(command: &mut Command) -> Output {
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(program)
        .args(args)
        .current_dir("/")
        .output()
        .expect("run runuser")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
