"""Excel for screening: the tolerant reader, the import and the exports (STYLE.md §9)."""
