"""Publishing a year: the shared book, the offline publisher, Quarto, incremental renders, and building."""
