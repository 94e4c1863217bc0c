//! Story templates.
