//! The built-in replicas of the documented vendor screens (being built).
