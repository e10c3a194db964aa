//! Runbooks: the model of a documented click path, its parser and its checks.
//!
//! This stage knows nothing of the browser. `parse` is the only place that
//! knows the runbook syntax (YAML); everything else sees [`model`] types.

pub mod model;

pub use model::*;
