//! Walking the flattened stack as libpam's dispatcher does (jumps count modules of the flattened
//! list, `die`/`done` end it), with every module answering as it would for a wrong or a right
//! password.

use super::control::Action;
use super::stack::Entry;

/// How a walk through the stack ended before reaching pam_mfa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Walk {
    Reached,
    /// `die` or `done` at this entry ended the stack.
    Stopped(usize),
    /// A jump at this entry went past pam_mfa.
    JumpedPast(usize),
}

/// Walks `entries` up to `target` as libpam's dispatcher would, with each module returning
/// `ret(entry)`.
pub(super) fn walk(entries: &[Entry], target: usize, ret: impl Fn(&Entry) -> &'static str) -> Walk {
    let mut i = 0;
    while i < target {
        let e = &entries[i];
        let action = e.control.as_ref().map_or(Action::Bad, |c| c.action(ret(e)));
        match action {
            Action::Die | Action::Done => return Walk::Stopped(i),
            Action::Jump(n) => {
                let next = i + n + 1;
                if next > target {
                    return Walk::JumpedPast(i);
                }
                i = next;
            }
            _ => i += 1,
        }
    }
    Walk::Reached
}

pub(super) fn wrong_password(e: &Entry) -> &'static str {
    if e.is_password_module() || e.module_name() == "pam_deny.so" {
        "auth_err"
    } else {
        "success"
    }
}

pub(super) fn right_password(e: &Entry) -> &'static str {
    if e.module_name() == "pam_deny.so" {
        "auth_err"
    } else {
        "success"
    }
}
