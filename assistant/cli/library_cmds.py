"""Commands over the interview library: ingest, interviews, show, speakers, search, reindex."""
