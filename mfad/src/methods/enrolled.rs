//! Which methods a user has, and in what order they are offered: asked of each method
//! (`Method::has`), so the record itself stays plain data and the store knows no method.

use super::covering;
use crate::store::UserRecord;
use mfa_proto::MethodId;

impl UserRecord {
    /// The one answer to "which methods does this user have", for status, admin, the menu and
    /// removal: each method says whether the record holds it (`Method::has`).
    pub fn methods(&self) -> Vec<MethodId> {
        MethodId::ALL
            .into_iter()
            .filter(|m| covering(*m).has(*m, self))
            .collect()
    }

    pub fn is_enrolled(&self) -> bool {
        !self.methods().is_empty()
    }
}

/// The names of the user's methods, in [`MethodId::ALL`]'s order.
pub fn enrolled_names(record: &UserRecord) -> Vec<&'static str> {
    record.methods().into_iter().map(|m| m.name()).collect()
}

/// The user's preferred order, completed with any enrolled method they did not list.
pub fn preferred_order(record: &UserRecord) -> Vec<String> {
    let enrolled = enrolled_names(record);
    let mut order: Vec<String> = record
        .preferred
        .iter()
        .filter(|m| enrolled.contains(&m.as_str()))
        .cloned()
        .collect();
    for m in enrolled {
        if !order.iter().any(|o| o == m) {
            order.push(m.to_string());
        }
    }
    order
}
