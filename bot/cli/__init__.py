"""Command-line front ends: plan preview (and, later, demo)."""
