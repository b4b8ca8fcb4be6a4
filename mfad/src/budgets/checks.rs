//! What one send counts against: the buckets, in the order a refusal names them, with their
//! windows. Both budget stores (the file here, PostgreSQL in `store/pg/budgets.rs`) count
//! exactly these.

use super::{BudgetLimits, Refusal, SendKey, Window};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    User,
    NonrootUser,
    Number,
    Prefix,
    Country,
    Gateway,
}

impl Bucket {
    pub(super) const ALL: [Bucket; 6] = [
        Bucket::User,
        Bucket::NonrootUser,
        Bucket::Number,
        Bucket::Prefix,
        Bucket::Country,
        Bucket::Gateway,
    ];

    /// The bucket's name where a store writes it down (the file's table, the database's column).
    pub fn name(self) -> &'static str {
        match self {
            Bucket::User => "user",
            Bucket::NonrootUser => "nonroot_user",
            Bucket::Number => "number",
            Bucket::Prefix => "prefix",
            Bucket::Country => "country",
            Bucket::Gateway => "gateway",
        }
    }
}

/// One count: the bucket, the key in it, its window, and the refusal when it is spent.
pub type Check<'a> = (Bucket, &'a str, Window, Refusal);

/// A send counts against the user (and, for a non-root caller, the non-root user budget), the
/// number, its prefix and its country: all of them or none.
pub fn send_checks<'a>(l: &BudgetLimits, key: &SendKey<'a>) -> Vec<Check<'a>> {
    let mut checks = vec![(Bucket::User, key.user, l.user, Refusal::User)];
    if key.nonroot {
        checks.push((Bucket::NonrootUser, key.user, l.nonroot_user, Refusal::User));
    }
    checks.extend([
        (Bucket::Number, key.number, l.number, Refusal::Number),
        (Bucket::Prefix, key.prefix, l.prefix, Refusal::Prefix),
        (Bucket::Country, key.country, l.country, Refusal::Country),
    ]);
    checks
}

/// One attempt on `gateway` (independent of the other budgets).
pub fn gateway_check<'a>(l: &BudgetLimits, gateway: &'a str) -> Check<'a> {
    (Bucket::Gateway, gateway, l.gateway, Refusal::Gateway)
}
