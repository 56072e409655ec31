"""Looking at a built dataset: statistics, charts and their text rendering."""
