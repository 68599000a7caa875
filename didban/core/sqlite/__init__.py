"""SQLite backend of Didban: Django's, with writers queueing fairly inside each process."""
