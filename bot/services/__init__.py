"""Services: practice directory, consultation lifecycle, review cycles and reminders."""
