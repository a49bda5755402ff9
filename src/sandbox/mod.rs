//! The local stand-ins that the end-to-end tests and `dcos lb sandbox`
//! share, so that what the tests prove is what a user rehearses on: a
//! Marathon simulator that follows Marathon's documented API ([`marathon`])
//! and a marathon-lb stand-in over a real HAProxy ([`lb`]). Each module
//! says where it differs from the real thing.

pub mod lb;
pub mod marathon;
