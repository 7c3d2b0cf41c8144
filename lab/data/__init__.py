"""Streams: synthetic generators with injected drift, the shipped and river data sets, CSV files."""
