"""From article text to a Source, its Actors and Statements."""
