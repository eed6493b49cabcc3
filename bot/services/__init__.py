"""Use cases: read from storage, call the core, write back, return what to show."""
