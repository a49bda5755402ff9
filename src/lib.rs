//! dcos-lb library.
