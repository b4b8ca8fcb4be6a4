//! The lines the orchestrator and its driver processes exchange over the drivers' stdin and
//! stdout. One word per field, so no path or name may contain white space.
//!
//! ```text
//! parent → driver   batch <service> <confdir> <right|wrong> <n>, then n × job <user> <secret hex> <template|-> <state file|->
//! driver → parent   ready <tasks>
//! parent → driver   go
//! driver → parent   n × result <pam code> <ns> <tasks after>, then done <start ns> <end ns>
//! parent → driver   quit (or end of input)
//! ```

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Right,
    Wrong,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Right => "right",
            Kind::Wrong => "wrong",
        }
    }

    fn parse(word: &str) -> Option<Kind> {
        match word {
            "right" => Some(Kind::Right),
            "wrong" => Some(Kind::Wrong),
            _ => None,
        }
    }
}

/// What every login of one batch shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchHeader {
    pub service: String,
    pub confdir: PathBuf,
    pub kind: Kind,
    pub jobs: usize,
}

/// One login: who, with which secret, and the GA state file to restore first (untimed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub user: String,
    pub secret: Vec<u8>,
    pub reset: Option<(PathBuf, PathBuf)>,
}

/// One login's outcome as the driver measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginResult {
    pub code: i32,
    pub nanos: u64,
    /// Threads in the driver process right after `pam_end`.
    pub tasks_after: usize,
}

fn word(text: &str) -> Result<&str, String> {
    if text.is_empty() || text.contains(char::is_whitespace) {
        Err(format!("{text:?} cannot travel as one word"))
    } else {
        Ok(text)
    }
}

pub fn encode_header(h: &BatchHeader) -> Result<String, String> {
    Ok(format!(
        "batch {} {} {} {}",
        word(&h.service)?,
        word(&h.confdir.to_string_lossy())?,
        h.kind.word(),
        h.jobs
    ))
}

pub fn decode_header(line: &str) -> Option<BatchHeader> {
    let mut it = line.split_whitespace();
    (it.next()? == "batch").then_some(())?;
    let header = BatchHeader {
        service: it.next()?.to_string(),
        confdir: PathBuf::from(it.next()?),
        kind: Kind::parse(it.next()?)?,
        jobs: it.next()?.parse().ok()?,
    };
    it.next().is_none().then_some(header)
}

pub fn encode_job(job: &Job) -> Result<String, String> {
    let (template, live) = match &job.reset {
        Some((t, l)) => (
            t.to_string_lossy().into_owned(),
            l.to_string_lossy().into_owned(),
        ),
        None => ("-".to_string(), "-".to_string()),
    };
    Ok(format!(
        "job {} {} {} {}",
        word(&job.user)?,
        crate::totp::to_hex(&job.secret),
        word(&template)?,
        word(&live)?
    ))
}

pub fn decode_job(line: &str) -> Option<Job> {
    let mut it = line.split_whitespace();
    (it.next()? == "job").then_some(())?;
    let user = it.next()?.to_string();
    let secret = crate::totp::from_hex(it.next()?)?;
    let reset = match (it.next()?, it.next()?) {
        ("-", "-") => None,
        (t, l) => Some((PathBuf::from(t), PathBuf::from(l))),
    };
    it.next().is_none().then_some(Job {
        user,
        secret,
        reset,
    })
}

pub fn encode_result(r: &LoginResult) -> String {
    format!("result {} {} {}", r.code, r.nanos, r.tasks_after)
}

pub fn decode_result(line: &str) -> Option<LoginResult> {
    let mut it = line.split_whitespace();
    (it.next()? == "result").then_some(())?;
    let result = LoginResult {
        code: it.next()?.parse().ok()?,
        nanos: it.next()?.parse().ok()?,
        tasks_after: it.next()?.parse().ok()?,
    };
    it.next().is_none().then_some(result)
}

/// `<tag> <a> <b>` with two numbers (`ready <tasks>` has one: b is then absent).
pub fn decode_numbers(line: &str, tag: &str) -> Option<Vec<u64>> {
    let mut it = line.split_whitespace();
    (it.next()? == tag).then_some(())?;
    it.map(|w| w.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_a_job_and_a_result_survive_the_pipe() {
        let header = BatchHeader {
            service: "bench-ga".into(),
            confdir: PathBuf::from("/tmp/mfa-pam-x"),
            kind: Kind::Wrong,
            jobs: 3,
        };
        assert_eq!(
            decode_header(&encode_header(&header).unwrap()),
            Some(header)
        );
        let job = Job {
            user: "load00001".into(),
            secret: vec![1, 2, 250],
            reset: Some(("/t/a".into(), "/s/a".into())),
        };
        assert_eq!(decode_job(&encode_job(&job).unwrap()), Some(job));
        let plain = Job {
            reset: None,
            ..decode_job("job u 00 - -").unwrap()
        };
        assert_eq!(plain.secret, vec![0]);
        let result = LoginResult {
            code: 7,
            nanos: 1_234_567,
            tasks_after: 1,
        };
        assert_eq!(decode_result(&encode_result(&result)), Some(result));
    }

    #[test]
    fn words_with_spaces_and_malformed_lines_are_refused() {
        let job = Job {
            user: "two words".into(),
            secret: vec![],
            reset: None,
        };
        assert!(encode_job(&job).is_err());
        assert_eq!(decode_job("job u zz - -"), None);
        assert_eq!(decode_result("result 0 12"), None);
        assert_eq!(decode_header("batch s /d maybe 3"), None);
        assert_eq!(decode_numbers("done 5 9", "done"), Some(vec![5, 9]));
        assert_eq!(decode_numbers("ready x", "ready"), None);
    }
}
