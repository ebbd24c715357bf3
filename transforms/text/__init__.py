"""Text: documents to clean articles (page extraction, page chrome, titles, dates) and their language."""
