//! clickpath replays documented UI click paths in a real browser and keeps a
//! screenshot of every step as evidence.
//!
//! The crate is laid out by stage, each using only the ones listed after it:
//! - [`cli`]: the command line, which wires the stages together;
//! - [`report`]: HTML, JUnit, JSON and terminal reports, read from run outcomes;
//! - [`evidence`]: screenshots and the manifest written after every step;
//! - [`execute`]: driving the WebDriver browser through a runbook, waiting;
//! - [`outcome`]: the typed result of a run (the manifest's JSON form);
//! - [`locate`]: turning a documentation-word locator into one element;
//! - [`runbook`]: the model of a runbook, its parser and validator (no browser);
//! - [`browser`]: the WebDriver session behind a trait (chromedriver, any
//!   endpoint, test doubles), used by `locate` and `execute`;
//! - below them all: [`diagnostic`] (positions and the one error renderer),
//!   [`secret`] (redaction), [`suggest`] (did-you-mean), [`time`], [`escape`].
//!
//! [`sandbox`] is the built-in replica server; only the CLI and tests use it.
#![warn(missing_docs)]

pub mod browser;
pub mod cli;
pub mod diagnostic;
pub mod escape;
pub mod evidence;
pub mod execute;
pub mod locate;
pub mod outcome;
pub mod report;
pub mod runbook;
pub mod sandbox;
pub mod secret;
pub mod suggest;
pub mod time;
