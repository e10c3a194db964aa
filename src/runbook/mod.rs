//! Runbooks: the model of a documented click path, its loader and its checks.
//!
//! This stage knows nothing of the browser. The layers only point downward:
//! [`model`] (plain types) <- `yaml` (the only file that knows YAML: text ->
//! spanned tree) <- `template` (`{var}` text) <- `convert` (tree -> model)
//! <- [`load`] (files, `use` includes, then [`validate`] once). Everything
//! outside this module sees [`model`] types; [`Bindings`] renders their
//! templates at run time.

pub mod bindings;
mod convert;
pub mod edit;
mod key;
pub mod load;
pub mod model;
pub mod patch;
pub mod schema;
pub mod source;
mod template;
pub mod validate;
mod yaml;

pub use bindings::Bindings;
pub use edit::{Edit, EditError, Edited};
pub use load::{load, load_all, parse_bytes, parse_str};
pub use model::*;
pub use validate::validate;

/// The loader's former path (`runbook::parse::...`), kept for callers outside
/// this module; new code uses [`load`](mod@load).
pub mod parse {
    pub use super::convert::ACTIONS;
    pub use super::load::{
        collect_files, count_files, flow_key, load, load_all, parse_bytes, parse_str, read_source,
        MAX_FILE_BYTES,
    };
    pub use super::yaml::to_json;
}
