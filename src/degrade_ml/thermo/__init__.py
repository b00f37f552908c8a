"""Offline interface thermodynamics: the phase-energy table, SE windows and contact reactions."""
