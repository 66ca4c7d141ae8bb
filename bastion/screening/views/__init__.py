"""Screening pages (排查). One module per area; urls.py imports them from here."""
