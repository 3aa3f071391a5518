"""Settings modules: base (shared), dev (embedded database), test (pytest), prod (compose)."""
