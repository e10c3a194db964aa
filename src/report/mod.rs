//! Reports read from run results (being built).
