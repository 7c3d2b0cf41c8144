"""The experiment as plain data: errors, check helpers, bounded JSON reading, dataclasses (standard library only)."""
