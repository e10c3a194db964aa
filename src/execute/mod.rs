//! Driving the WebDriver browser through a runbook (being built).
