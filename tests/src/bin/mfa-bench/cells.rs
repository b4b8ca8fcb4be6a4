//! Results gathered per (module, concurrency, right/wrong code) over all rounds, and the
//! figures drawn from them.

use mfa_tests::codes;

use crate::pool::BatchOutcome;
use crate::protocol::Kind;
use crate::stacks::Module;

pub struct Cell {
    pub module: Module,
    pub level: usize,
    pub kind: Kind,
    pub nanos: Vec<u64>,
    pub codes: Vec<i32>,
    pub wall_ns: u64,
    /// Most threads any login left in a driver beyond those it had before the batch.
    pub new_threads: usize,
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Cell {
    pub fn new(module: Module, level: usize, kind: Kind) -> Cell {
        Cell {
            module,
            level,
            kind,
            nanos: Vec::new(),
            codes: Vec::new(),
            wall_ns: 0,
            new_threads: 0,
        }
    }

    pub fn add(&mut self, batch: &BatchOutcome) {
        let before = batch.tasks_before.iter().copied().min().unwrap_or(1);
        for r in &batch.results {
            self.nanos.push(r.nanos);
            self.codes.push(r.code);
            self.new_threads = self.new_threads.max(r.tasks_after.saturating_sub(before));
        }
        self.wall_ns += batch.wall_ns;
    }

    fn sorted_ms(&self) -> Vec<f64> {
        let mut ms: Vec<f64> = self.nanos.iter().map(|&n| n as f64 / 1e6).collect();
        ms.sort_by(f64::total_cmp);
        ms
    }

    pub fn median_ms(&self) -> f64 {
        percentile(&self.sorted_ms(), 50.0)
    }

    pub fn p99_ms(&self) -> f64 {
        percentile(&self.sorted_ms(), 99.0)
    }

    pub fn max_ms(&self) -> f64 {
        self.sorted_ms().last().copied().unwrap_or(f64::NAN)
    }

    pub fn per_second(&self) -> f64 {
        self.nanos.len() as f64 / (self.wall_ns as f64 / 1e9)
    }

    pub fn successes(&self) -> usize {
        self.codes
            .iter()
            .filter(|&&c| c == codes::PAM_SUCCESS)
            .count()
    }

    /// pam_permit lets every login in; the other two only right codes.
    pub fn expected_code(&self) -> i32 {
        if self.module == Module::Permit || self.kind == Kind::Right {
            codes::PAM_SUCCESS
        } else {
            codes::PAM_AUTH_ERR
        }
    }

    /// `PAM_X xN` for every result other than the expected one.
    pub fn unexpected(&self) -> Vec<String> {
        let mut counts: Vec<(i32, usize)> = Vec::new();
        for &c in self.codes.iter().filter(|&&c| c != self.expected_code()) {
            match counts.iter_mut().find(|(code, _)| *code == c) {
                Some((_, n)) => *n += 1,
                None => counts.push((c, 1)),
            }
        }
        counts
            .into_iter()
            .map(|(c, n)| format!("{} x{n}", codes::name(c)))
            .collect()
    }
}

/// All cells of a run.
pub struct Cells(pub Vec<Cell>);

impl Cells {
    pub fn get(&self, module: Module, level: usize, kind: Kind) -> Option<&Cell> {
        self.0
            .iter()
            .find(|c| c.module == module && c.level == level && c.kind == kind)
    }

    pub fn get_mut(&mut self, module: Module, level: usize, kind: Kind) -> &mut Cell {
        if let Some(i) = self
            .0
            .iter()
            .position(|c| c.module == module && c.level == level && c.kind == kind)
        {
            return &mut self.0[i];
        }
        self.0.push(Cell::new(module, level, kind));
        let last = self.0.len() - 1;
        &mut self.0[last]
    }

    /// Right and wrong logins of a module at a level together: logins / wall time.
    pub fn throughput(&self, module: Module, level: usize) -> f64 {
        let (mut logins, mut wall) = (0usize, 0u64);
        for c in self
            .0
            .iter()
            .filter(|c| c.module == module && c.level == level)
        {
            logins += c.nanos.len();
            wall += c.wall_ns;
        }
        logins as f64 / (wall as f64 / 1e9)
    }

    pub fn new_threads(&self, module: Module) -> usize {
        self.0
            .iter()
            .filter(|c| c.module == module)
            .map(|c| c.new_threads)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn a_wrong_code_is_expected_to_fail_except_under_pam_permit() {
        let mut cell = Cell::new(Module::Mfa, 1, Kind::Wrong);
        cell.codes = vec![codes::PAM_AUTH_ERR, codes::PAM_SUCCESS];
        assert_eq!(cell.unexpected(), vec!["PAM_SUCCESS x1".to_string()]);
        let permit = Cell::new(Module::Permit, 1, Kind::Wrong);
        assert_eq!(permit.expected_code(), codes::PAM_SUCCESS);
    }

    #[test]
    fn throughput_adds_right_and_wrong_logins_over_their_wall_time() {
        let mut cells = Cells(Vec::new());
        for kind in [Kind::Right, Kind::Wrong] {
            let cell = cells.get_mut(Module::Mfa, 2, kind);
            cell.nanos = vec![1; 50];
            cell.wall_ns = 500_000_000;
        }
        assert_eq!(cells.throughput(Module::Mfa, 2), 100.0);
    }
}
