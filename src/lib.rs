//! clickpath replays documented UI click paths in a real browser and keeps a
//! screenshot of every step as evidence.
//!
//! The crate is laid out by stage:
//! - [`runbook`]: the model of a runbook, its parser and validator (no browser);
//! - [`browser`]: the WebDriver session behind a trait (chromedriver, any endpoint, test doubles);
//! - [`locate`]: turning a documentation-word locator into one element;
//! - [`execute`]: driving the WebDriver browser through a runbook, waiting;
//! - [`evidence`]: screenshots and the manifest written after every step;
//! - [`report`]: HTML, JUnit, JSON and Markdown reports read from results;
//! - [`sandbox`]: the built-in replicas of the documented vendor screens;
//! - [`cli`]: the command line, which wires the stages together.
#![warn(missing_docs)]

pub mod browser;
pub mod cli;
pub mod diagnostic;
pub mod escape;
pub mod evidence;
pub mod execute;
pub mod locate;
pub mod report;
pub mod runbook;
pub mod sandbox;
pub mod secret;
