"""Stories: articles that report the same story grouped, from the names they share."""
