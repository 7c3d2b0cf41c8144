"""The experiment's contract in the standard library only: config types, errors, checks, names."""
