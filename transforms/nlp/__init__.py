"""NLP: one spaCy pass per unique article (entities, topics, statuses), an NER backend per language."""
