"""Brancheredskab: company contacts, openings and placements by industry, with aging and statistics."""
