"""Clause library: clauses as data, their loader, parameter binding, rendering and lint."""
