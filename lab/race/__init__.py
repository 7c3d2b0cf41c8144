"""The prequential race: engine, metrics, output files and the story of a result."""
