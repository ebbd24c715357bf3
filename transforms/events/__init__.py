"""Events stage: sentences that report an event's status become StatusMentions.

- lexicon.py: event types, their words and statuses (data/events.toml), read once per worker.
- grammar.py: English, where the dependency parse links a status word or a tense to an event word.
- keywords.py: other languages, a status phrase beside an event word (the language's profile).
- mentions.py: what both find becomes rows: places filled, event ids, each article's lead mention.
"""
