"""Framework-free helpers (Persian text, Jalali dates) shared by the whole project."""
