//! evidence stage (being built).
