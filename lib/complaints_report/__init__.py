"""Complaints report: read a council's complaints export and compute the annual report's figures."""

__version__ = "0.1.0"
