"""One module per command: its arguments, its help and its run function (which imports lazily)."""
