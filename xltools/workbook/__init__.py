"""Workbook files: deterministic building with XlsxWriter and in-place patching of cached values."""
