"""Scaffolding: new tender folders from presets, and the round-trip editor that adds clauses to a spec."""
