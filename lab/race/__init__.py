"""The prequential race: engine, per-sample trace, metrics, outputs, story and snapshots."""
