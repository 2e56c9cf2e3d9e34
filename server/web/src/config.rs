//! One typed configuration: built-in defaults, then an optional TOML file,
//! then `HOURBRIDGE_*` environment variables (or the matching flags).
//! `hourbridge --help` lists every setting.

use clap::Parser;
use hourbridge_core::password::HashCost;
use hourbridge_domain::login_throttle::ThrottlePolicy;
use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

const DEFAULT_BIND: &str = "127.0.0.1:3000";
const DEFAULT_DATABASE_URL: &str = "sqlite://data/hourbridge.db";

/// Every setting as a flag or environment variable. Unset ones fall back to
/// the file given with `--config`, then to the built-in default.
#[derive(Debug, Parser)]
#[command(
    name = "hourbridge",
    version,
    about = "HourBridge: DingTalk attendance → project work hours"
)]
pub struct Cli {
    /// TOML file with any of the settings below (same names, snake_case).
    #[arg(long, env = "HOURBRIDGE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:3000].
    #[arg(long, env = "HOURBRIDGE_BIND")]
    pub bind: Option<SocketAddr>,
    /// Database: `sqlite://path/file.db` (created on first run) or `postgres://user@host/db`
    /// [default: sqlite://data/hourbridge.db].
    #[arg(long, env = "HOURBRIDGE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Largest number of database connections [default: 10].
    #[arg(long, env = "HOURBRIDGE_DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,
    /// The address users reach HourBridge at; `https://…` makes cookies Secure
    /// [default: http://127.0.0.1:3000].
    #[arg(long, env = "HOURBRIDGE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Folder with the built browser assets (`pkg/`, `csrf.js`) [default: target/site].
    #[arg(long, env = "HOURBRIDGE_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// A session ends after this many minutes without a request [default: 480].
    #[arg(long, env = "HOURBRIDGE_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<i64>,
    /// Failed logins for one account before it must wait [default: 5].
    #[arg(long, env = "HOURBRIDGE_LOGIN_MAX_FAILURES_PER_ACCOUNT")]
    pub login_max_failures_per_account: Option<u32>,
    /// Failed logins from one address before it must wait [default: 30].
    #[arg(long, env = "HOURBRIDGE_LOGIN_MAX_FAILURES_PER_ADDRESS")]
    pub login_max_failures_per_address: Option<u32>,
    /// Window in which failed logins count [default: 15].
    #[arg(long, env = "HOURBRIDGE_LOGIN_WINDOW_MINUTES")]
    pub login_window_minutes: Option<i64>,
    /// argon2id memory cost in KiB [default: 19456].
    #[arg(long, env = "HOURBRIDGE_ARGON2_MEMORY_KIB")]
    pub argon2_memory_kib: Option<u32>,
    /// argon2id passes [default: 2].
    #[arg(long, env = "HOURBRIDGE_ARGON2_ITERATIONS")]
    pub argon2_iterations: Option<u32>,
    /// argon2id lanes [default: 1].
    #[arg(long, env = "HOURBRIDGE_ARGON2_PARALLELISM")]
    pub argon2_parallelism: Option<u32>,
    /// Take the client address from `X-Forwarded-For` (only behind your own proxy) [default: false].
    #[arg(long, env = "HOURBRIDGE_TRUST_PROXY")]
    pub trust_proxy: Option<bool>,
    /// Log filter, e.g. `info` or `hourbridge_core=debug,info` [default: info].
    #[arg(long, env = "HOURBRIDGE_LOG")]
    pub log: Option<String>,
    /// Folder for files HourBridge keeps (the generated master key) [default: data].
    #[arg(long, env = "HOURBRIDGE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Master key for secrets at rest: Base64 of 32 random bytes
    /// (`openssl rand -base64 32`). Unset: `master.key` in the data folder,
    /// generated on first run.
    #[arg(long, env = "HOURBRIDGE_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<String>,
    /// Earlier master keys, comma-separated, kept during a key rotation so
    /// that secrets sealed with them can be re-sealed at start-up.
    #[arg(
        long,
        env = "HOURBRIDGE_PREVIOUS_MASTER_KEYS",
        hide_env_values = true,
        value_delimiter = ','
    )]
    pub previous_master_keys: Option<Vec<String>>,
    /// Sync runs this instance works on at once; 0 serves pages only
    /// [default: 2].
    #[arg(long, env = "HOURBRIDGE_SYNC_WORKERS")]
    pub sync_workers: Option<usize>,
    /// People per sync batch, the unit of checkpoints and progress [default: 50].
    #[arg(long, env = "HOURBRIDGE_SYNC_BATCH_PEOPLE")]
    pub sync_batch_people: Option<usize>,
    /// Seconds a claimed sync run stays this instance's without renewal;
    /// another instance takes it over after that [default: 30].
    #[arg(long, env = "HOURBRIDGE_SYNC_LEASE_SECS")]
    pub sync_lease_secs: Option<u64>,
    /// Demo mode: start a built-in DingTalk simulator (a generated company of
    /// 300 people) and connect to it, so there is data to look at at once.
    #[arg(long, env = "HOURBRIDGE_DEMO")]
    pub demo: bool,
}

/// The same settings read from the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<SocketAddr>,
    database_url: Option<String>,
    database_max_connections: Option<u32>,
    public_url: Option<String>,
    site_root: Option<PathBuf>,
    session_idle_minutes: Option<i64>,
    login_max_failures_per_account: Option<u32>,
    login_max_failures_per_address: Option<u32>,
    login_window_minutes: Option<i64>,
    argon2_memory_kib: Option<u32>,
    argon2_iterations: Option<u32>,
    argon2_parallelism: Option<u32>,
    trust_proxy: Option<bool>,
    log: Option<String>,
    data_dir: Option<PathBuf>,
    master_key: Option<String>,
    previous_master_keys: Option<Vec<String>>,
    sync_workers: Option<usize>,
    sync_batch_people: Option<usize>,
    sync_lease_secs: Option<u64>,
}

/// A value that must not appear in logs: its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A database URL whose password never reaches a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(Secret<String>);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(Secret::new(url.into()))
    }
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.expose();
        // scheme://user:password@host/db → scheme://user:[redacted]@host/db
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                let userinfo = &url[scheme_end + 3..at];
                let user = userinfo.split(':').next().unwrap_or("");
                let shown = if userinfo.contains(':') {
                    format!("{user}:[redacted]")
                } else {
                    user.to_owned()
                };
                write!(f, "\"{}{}{}\"", &url[..scheme_end + 3], shown, &url[at..])
            }
            _ => write!(f, "\"{url}\""),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: DatabaseUrl,
    pub database_max_connections: u32,
    pub public_url: String,
    pub site_root: PathBuf,
    pub session_idle_minutes: i64,
    pub throttle: ThrottlePolicy,
    pub hash_cost: HashCost,
    pub trust_proxy: bool,
    pub log: String,
    pub data_dir: PathBuf,
    pub master_key: Option<Secret<String>>,
    pub previous_master_keys: Vec<Secret<String>>,
    pub sync: hourbridge_core::SyncSettings,
    pub demo: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl Config {
    /// Defaults, then the file named by `--config`, then flags and environment.
    pub fn load(cli: Cli) -> Result<Self, ConfigError> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path: path.display().to_string(),
                    source,
                })?
            }
            None => FileConfig::default(),
        };
        Self::merge(cli, file)
    }

    fn merge(cli: Cli, file: FileConfig) -> Result<Self, ConfigError> {
        let defaults = HashCost::default();
        let throttle = ThrottlePolicy::default();
        let bind = match cli.bind.or(file.bind) {
            Some(b) => b,
            None => DEFAULT_BIND
                .parse()
                .map_err(|e| ConfigError::Invalid(format!("bind: {e}")))?,
        };
        let cfg = Config {
            bind,
            database_url: DatabaseUrl::new(
                cli.database_url
                    .or(file.database_url)
                    .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            ),
            database_max_connections: cli
                .database_max_connections
                .or(file.database_max_connections)
                .unwrap_or(10),
            public_url: cli
                .public_url
                .or(file.public_url)
                .unwrap_or_else(|| format!("http://{bind}")),
            site_root: cli
                .site_root
                .or(file.site_root)
                .unwrap_or_else(|| PathBuf::from("target/site")),
            session_idle_minutes: cli
                .session_idle_minutes
                .or(file.session_idle_minutes)
                .unwrap_or(480),
            throttle: ThrottlePolicy {
                max_failures_per_account: cli
                    .login_max_failures_per_account
                    .or(file.login_max_failures_per_account)
                    .unwrap_or(throttle.max_failures_per_account),
                max_failures_per_address: cli
                    .login_max_failures_per_address
                    .or(file.login_max_failures_per_address)
                    .unwrap_or(throttle.max_failures_per_address),
                window_secs: 60
                    * cli
                        .login_window_minutes
                        .or(file.login_window_minutes)
                        .unwrap_or(throttle.window_secs / 60),
            },
            hash_cost: HashCost {
                memory_kib: cli
                    .argon2_memory_kib
                    .or(file.argon2_memory_kib)
                    .unwrap_or(defaults.memory_kib),
                iterations: cli
                    .argon2_iterations
                    .or(file.argon2_iterations)
                    .unwrap_or(defaults.iterations),
                parallelism: cli
                    .argon2_parallelism
                    .or(file.argon2_parallelism)
                    .unwrap_or(defaults.parallelism),
            },
            trust_proxy: cli.trust_proxy.or(file.trust_proxy).unwrap_or(false),
            log: cli.log.or(file.log).unwrap_or_else(|| "info".to_owned()),
            data_dir: cli
                .data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("data")),
            master_key: cli.master_key.or(file.master_key).map(Secret::new),
            previous_master_keys: cli
                .previous_master_keys
                .or(file.previous_master_keys)
                .unwrap_or_default()
                .into_iter()
                .filter(|k| !k.trim().is_empty())
                .map(Secret::new)
                .collect(),
            sync: {
                let d = hourbridge_core::SyncSettings::default();
                hourbridge_core::SyncSettings {
                    workers: cli.sync_workers.or(file.sync_workers).unwrap_or(d.workers),
                    batch_people: cli
                        .sync_batch_people
                        .or(file.sync_batch_people)
                        .unwrap_or(d.batch_people),
                    lease_secs: cli
                        .sync_lease_secs
                        .or(file.sync_lease_secs)
                        .unwrap_or(d.lease_secs),
                    writes_in_flight: d.writes_in_flight,
                }
            },
            demo: cli.demo,
        };
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let url = self.database_url.expose();
        if !(url.starts_with("sqlite:") || hourbridge_core::db::is_postgres_url(url)) {
            return Err(ConfigError::Invalid(
                "database_url must start with sqlite: or postgres://".into(),
            ));
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::Invalid(
                "database_max_connections must be at least 1".into(),
            ));
        }
        if self.session_idle_minutes <= 0 {
            return Err(ConfigError::Invalid(
                "session_idle_minutes must be positive".into(),
            ));
        }
        if self.throttle.window_secs <= 0 {
            return Err(ConfigError::Invalid(
                "login_window_minutes must be positive".into(),
            ));
        }
        Ok(())
    }

    /// Cookies carry `Secure` when users reach HourBridge over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// A configuration for tests: given database, port 0, cheap hashing.
    pub fn for_tests(database_url: &str, site_root: PathBuf) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: DatabaseUrl::new(database_url),
            database_max_connections: 5,
            public_url: "http://127.0.0.1".into(),
            site_root,
            session_idle_minutes: 60,
            throttle: ThrottlePolicy::default(),
            hash_cost: HashCost {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            trust_proxy: false,
            log: "warn".into(),
            data_dir: std::env::temp_dir().join(format!("hourbridge-test-{}", std::process::id())),
            master_key: Some(Secret::new(
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".to_owned(),
            )),
            previous_master_keys: Vec::new(),
            // Small batches, so that tests go through several checkpoints.
            sync: hourbridge_core::SyncSettings {
                batch_people: 10,
                ..hourbridge_core::SyncSettings::default()
            },
            demo: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        let mut all = vec!["hourbridge"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("valid flags")
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let cfg = Config::merge(cli(&[]), FileConfig::default()).unwrap();
        assert_eq!(cfg.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(cfg.database_url.expose(), "sqlite://data/hourbridge.db");
        assert_eq!(cfg.throttle.max_failures_per_account, 5);
        assert!(!cfg.secure_cookies());
    }

    #[test]
    fn the_file_overrides_defaults_and_flags_override_the_file() {
        let file: FileConfig = toml::from_str(
            "bind = \"0.0.0.0:8080\"\nsession_idle_minutes = 30\npublic_url = \"https://hours.example.com\"",
        )
        .unwrap();
        let cfg = Config::merge(cli(&["--bind", "127.0.0.1:9000"]), file).unwrap();
        assert_eq!(cfg.bind.to_string(), "127.0.0.1:9000");
        assert_eq!(cfg.session_idle_minutes, 30);
        assert!(cfg.secure_cookies());
    }

    #[test]
    fn unknown_file_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<FileConfig>("bnid = \"x\"").is_err());
        let err = Config::merge(cli(&["--database-url", "mysql://x"]), FileConfig::default())
            .unwrap_err();
        assert!(err.to_string().contains("database_url"));
    }

    #[test]
    fn database_passwords_never_reach_debug_output() {
        let url = DatabaseUrl::new("postgres://hb:s3cret@db.internal:5432/hours");
        let shown = format!("{url:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("hb:[redacted]@db.internal"));
        let cfg = Config::merge(
            cli(&["--database-url", "postgres://u:pw@h/d"]),
            FileConfig::default(),
        )
        .unwrap();
        assert!(!format!("{cfg:?}").contains("pw@"));
    }
}
