"""Recalculation: recompute a workbook's cached values in Python, or in LibreOffice for comparison."""
