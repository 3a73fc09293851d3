"""What each report section shows: tables, charts and sentences built from a ReportContext."""
