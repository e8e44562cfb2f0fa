"""Tender spec: YAML with positions → validated typed model."""
