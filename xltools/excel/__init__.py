"""Bridges to desktop Excel: xlwings UDFs generated from the calculation registry."""
