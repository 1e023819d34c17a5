"""The shared core: paths and settings, date rules, vocabulary, words and export helpers; imports neither app/ nor etl/."""
