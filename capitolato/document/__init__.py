"""Documents: clause texts and spec sections assembled into numbered Markdown articles, then rendered."""
