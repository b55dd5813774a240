"""xltools: the jobcentre spreadsheet tools, with every calculation defined once in Python."""
