//! Why a store call failed, in the words a caller acts on: try again, wait, or look at the data.

#[derive(Debug)]
pub enum StoreError {
    InvalidName,
    /// Another change won a race (a database's serialisation failure): run it again.
    Retry,
    /// The store cannot be reached or written (I/O, a connection): nothing changed.
    Unavailable(std::io::Error),
    /// The data exists but cannot be parsed: never treated as "not enrolled".
    Corrupt(String),
    /// `update` with `Missing::Refuse` found no record.
    NoRecord,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::InvalidName => f.write_str("invalid user name"),
            StoreError::Retry => f.write_str("a concurrent change won; try again"),
            StoreError::Unavailable(e) => write!(f, "I/O error: {e}"),
            StoreError::Corrupt(e) => write!(f, "corrupt user record: {e}"),
            StoreError::NoRecord => f.write_str("no record"),
        }
    }
}

impl std::error::Error for StoreError {}
