"""The one-definition mechanism: expressions, Excel-compatible rounding, input specs and calculations."""
