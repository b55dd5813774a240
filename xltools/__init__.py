"""xltools: the jobcentre spreadsheet tools, with every calculation defined once in Python."""

__version__ = "0.2.0"
