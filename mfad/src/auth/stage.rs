//! Where a login stands: in the "other options" menu, or in one method's own state. The
//! options are fixed when the session starts.

use crate::methods::MethodState;
use mfa_proto::MethodId;

/// One entry of the menu: which method and where it goes (a masked number, never the number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodOption {
    pub method: MethodId,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Menu,
    In(MethodId, MethodState),
}
