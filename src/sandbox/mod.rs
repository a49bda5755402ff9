//! The local stand-ins that the end-to-end tests and `dcos lb sandbox`
//! share, so that what the tests prove is what a user rehearses on: a
//! Marathon simulator that follows Marathon's documented API ([`marathon`])
//! and a marathon-lb stand-in over a real HAProxy ([`lb`]), with the task
//! server every simulated task runs ([`task`]) and the load generator that
//! measures zero downtime through HAProxy ([`load`]). Each module says where
//! it differs from the real thing.
//!
//! The simulator shares no code with the client it tests: it checks login
//! JWTs, formats dates and parses requests with its own copies, so that a
//! bug in the client's version cannot also pass as Marathon's behaviour.
//! The marathon-lb stand-in does use our render: that is what it stands in
//! for, and the conformance suite proves the render against marathon-lb.

pub mod folder;
pub mod lb;
pub mod load;
pub mod marathon;
pub mod task;
