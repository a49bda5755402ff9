//! The error type of rendering: every case where marathon-lb itself would
//! fail on the same input. Pure: no I/O.

use thiserror::Error;

/// Why a render failed. Each message names the app (and label or template)
/// involved, as far as marathon-lb's failure has one.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum RenderError {
    /// The options are unusable (marathon-lb's argument errors: no group,
    /// inconsistent auto-assignment port range). A usage error (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The apps document is not valid JSON or does not have the shape of a
    /// Marathon `/v2/apps` body.
    #[error("invalid Marathon apps JSON: {0}")]
    Json(String),
    /// A field marathon-lb requires is missing (it raises `KeyError`).
    #[error("app {app}: required field `{field}` is missing")]
    MissingField {
        /// App id (or `?` when the app has no id).
        app: String,
        /// Dotted path of the missing field.
        field: String,
    },
    /// A field has a value marathon-lb cannot use.
    #[error("app {app}: field `{field}`: {message}")]
    BadField {
        /// App id.
        app: String,
        /// Dotted path of the field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A label value marathon-lb rejects (e.g. `HAPROXY_0_AUTH` without
    /// exactly three `:`-separated parts, a non-integer `HAPROXY_0_PORT`).
    #[error("app {app}: label {label}={value:?}: {message}")]
    BadLabel {
        /// App id.
        app: String,
        /// Full label name, e.g. `HAPROXY_0_PORT`.
        label: String,
        /// The label's value.
        value: String,
        /// What is wrong with it.
        message: String,
    },
    /// A template could not be formatted (unknown placeholder, bad braces).
    #[error("template {template} (for {context}): {message}")]
    Template {
        /// Template name, e.g. `HAPROXY_FRONTEND_HEAD`, or the label that
        /// overrode it, e.g. `HAPROXY_0_FRONTEND_HEAD`.
        template: String,
        /// The backend (or `global`) being rendered.
        context: String,
        /// Python's complaint, in our words.
        message: String,
    },
    /// The `HAPROXY_HEAD` template in force contains `daemon` or lacks
    /// `expose-fd listeners` (marathon-lb ≥ 1.12 refuses it).
    #[error(
        "custom HAPROXY_HEAD template is not usable since marathon-lb 1.12: remove \"daemon\" \
         and add \"stats socket /var/run/haproxy/socket expose-fd listeners\""
    )]
    Head,
    /// No `--group` was requested and a service has no group either.
    #[error("no groups specified (service {app}:{port})")]
    NoGroups {
        /// App id.
        app: String,
        /// Service port (the `PORT` label's value when set, any size).
        port: String,
    },
    /// `HAPROXY_{n}_BACKEND_HEALTHCHECK_PORT_INDEX` points past the app's
    /// services or servers.
    #[error("app {app}: HAPROXY_{{n}}_BACKEND_HEALTHCHECK_PORT_INDEX={index}: {message}")]
    HealthCheckPortIndex {
        /// App id.
        app: String,
        /// The label's value.
        index: i64,
        /// What is out of range.
        message: String,
    },
}
