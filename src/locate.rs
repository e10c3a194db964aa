//! locate stage (being built).
