//! Runbooks: the model of a documented click path, its parser and its checks.
//!
//! This stage knows nothing of the browser. `parse` is the only place that
//! knows the runbook syntax (YAML); everything else sees [`model`] types.

pub mod model;
pub mod parse;
pub mod schema;
pub mod source;
pub mod validate;

pub use model::*;
pub use parse::{load, load_all, parse_str};
pub use validate::validate;
