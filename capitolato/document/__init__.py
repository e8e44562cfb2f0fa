"""Documents: clause texts and spec sections assembled into the typed document model (numbered articles)."""
