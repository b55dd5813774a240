"""Målstyring: a team's weekly registrations per indicator and employee against the year's goals."""
