"""The tender as a typed model, and the facts derived from it."""
