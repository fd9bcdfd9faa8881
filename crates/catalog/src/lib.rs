//! Course catalog.
