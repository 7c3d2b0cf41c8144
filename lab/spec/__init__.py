"""The experiment's contract in the standard library only: errors, check helpers, bounded JSON
reading, config dataclasses and the output column names."""
