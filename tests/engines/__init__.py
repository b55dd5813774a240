"""The spreadsheet-engine proof harness: LibreOffice and gnumeric check what xltools writes.

* ``cells`` reads every formula cell (and every value) of an .xlsx file from its XML.
* ``formulas`` takes formula text apart: tokens, references, moving a formula.
* ``gnumeric`` recalculates a copy with ``ssconvert --recalc``, structured references rewritten to A1.
* ``agreement`` compares xltools' cached values with LibreOffice's and gnumeric's, cell by cell.
* ``validation`` proves data-validation formulas in LibreOffice against the Python rules.
* ``printing`` prints to PDF, counts pages per sheet and computes each sheet's scale.
* ``edits`` changes cells, tables and lists as another program would, keeping every other part.
"""
