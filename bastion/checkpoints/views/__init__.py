"""Pages of the checkpoints app: the officer's screen, rosters and shifts, reports."""
