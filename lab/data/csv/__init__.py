"""CSV files as streams: limits, sniffing, planning and chunked reading, previews."""
