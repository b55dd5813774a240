"""The Excel add-in ``xltools.xlam``, built from text: the ribbon, its VBA and xlwings' UDF bridge."""
