"""The figures: the engine that makes figures.json, the views the sections show, and the data-quality notes."""
