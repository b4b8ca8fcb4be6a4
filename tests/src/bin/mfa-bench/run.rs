//! The measurement loop: for each concurrency level, driver processes run rounds in which each
//! module gets a right-code and a wrong-code batch, the module order rotating from round to
//! round so that a burst of outside load does not land on one module only.
//!
//! Each module has driver processes of its own, as each sshd or sudo process runs one stack: a
//! process that has run one pam_google_authenticator login pays about 1.7 ms more for every
//! later pam_permit transaction (measured on the project VM), so sharing would skew the floor.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::cells::Cells;
use crate::pool::{BatchOutcome, Pool};
use crate::protocol::{BatchHeader, Job, Kind};
use crate::stacks::{MODULES, Module, Stacks};
use crate::totp::PERIOD;
use crate::users::{Rota, User};

/// Untimed logins per driver and module before a level's first round.
const WARMUP_PER_DRIVER: usize = 3;

pub struct Plan {
    pub levels: Vec<usize>,
    /// Logins per (module, level, right/wrong) over all rounds.
    pub logins: usize,
    pub rounds: usize,
}

/// Who logs in next, per module.
pub struct Bench<'a> {
    stacks: &'a Stacks,
    users: &'a [User],
    ga_users: usize,
    rota: Rota,
    wrong_next: usize,
    ga_next: usize,
}

fn unix_step() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        / PERIOD
}

/// Sleeps into the next TOTP step; returns how long that took.
fn wait_for_next_step() -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let next = Duration::from_secs((now.as_secs() / PERIOD + 1) * PERIOD);
    let wait = next.saturating_sub(now) + Duration::from_millis(50);
    std::thread::sleep(wait);
    wait
}

impl<'a> Bench<'a> {
    pub fn new(stacks: &'a Stacks, users: &'a [User], ga_users: usize) -> Bench<'a> {
        Bench {
            stacks,
            users,
            ga_users,
            rota: Rota::new(users.len()),
            wrong_next: 0,
            ga_next: 0,
        }
    }

    fn job(&self, user: usize, reset_ga: bool) -> Job {
        let u = &self.users[user];
        Job {
            user: u.name.clone(),
            secret: u.secret.clone(),
            reset: reset_ga.then(|| self.stacks.ga_reset(&u.name)),
        }
    }

    /// `n` logins of `module`; for pam_mfa right codes, the users picked (single-use codes).
    fn jobs(&mut self, module: Module, kind: Kind, n: usize) -> (Vec<Job>, Vec<usize>) {
        let picked: Vec<usize> = match (module, kind) {
            (Module::Mfa, Kind::Right) => loop {
                if let Some(users) = self.rota.take(n, unix_step()) {
                    break users;
                }
                let waited = wait_for_next_step();
                println!(
                    "  (waited {:.1} s for the next TOTP step: every free user has used this one)",
                    waited.as_secs_f64()
                );
            },
            (Module::GaStrict, _) => (0..n)
                .map(|_| {
                    self.ga_next += 1;
                    self.ga_next % self.ga_users
                })
                .collect(),
            _ => (0..n)
                .map(|_| {
                    self.wrong_next += 1;
                    self.wrong_next % self.users.len()
                })
                .collect(),
        };
        let jobs = picked
            .iter()
            .map(|&u| self.job(u, module == Module::GaStrict))
            .collect();
        let used = if (module, kind) == (Module::Mfa, Kind::Right) {
            picked
        } else {
            Vec::new()
        };
        (jobs, used)
    }

    pub fn batch(
        &mut self,
        pool: &mut Pool,
        module: Module,
        kind: Kind,
        n: usize,
    ) -> Result<BatchOutcome, String> {
        let (jobs, used) = self.jobs(module, kind, n);
        let stack = self.stacks.stack(module);
        let header = BatchHeader {
            service: stack.service().to_string(),
            confdir: stack.dir().to_path_buf(),
            kind,
            jobs: jobs.len(),
        };
        let outcome = pool.run(&header, &jobs)?;
        self.rota.mark_used(&used, unix_step());
        Ok(outcome)
    }

    /// Every level of the plan; `after_level` sees the cells after each.
    pub fn measure(
        &mut self,
        plan: &Plan,
        mut after_level: impl FnMut(usize),
    ) -> Result<Cells, String> {
        let mut cells = Cells(Vec::new());
        let per_round = plan.logins.div_ceil(plan.rounds);
        for &level in &plan.levels {
            let mut pools = MODULES
                .iter()
                .map(|_| Pool::spawn(level))
                .collect::<Result<Vec<_>, _>>()?;
            for (module, pool) in MODULES.into_iter().zip(pools.iter_mut()) {
                self.batch(pool, module, Kind::Wrong, WARMUP_PER_DRIVER * level)?;
            }
            for round in 0..plan.rounds {
                for i in 0..MODULES.len() {
                    let at = (i + round) % MODULES.len();
                    let module = MODULES[at];
                    for kind in [Kind::Right, Kind::Wrong] {
                        let outcome = self.batch(&mut pools[at], module, kind, per_round)?;
                        cells.get_mut(module, level, kind).add(&outcome);
                    }
                }
            }
            println!(
                "  level {level}: {level} driver process(es) per module, {} rounds done",
                plan.rounds
            );
            after_level(level);
        }
        Ok(cells)
    }
}
