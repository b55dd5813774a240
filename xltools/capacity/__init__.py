"""Ressourceberegner: yearly conversations per frequency, intensified scenarios and årsværk (FTE)."""
