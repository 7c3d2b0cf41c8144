"""What-if sweeps (being split into modules)."""
