"""peace-tui's terminal side: the command line and the Textual explorer."""
