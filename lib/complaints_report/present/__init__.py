"""How the report shows figures: cells, tables, disclosure control, redaction, charts, display and sentences."""
