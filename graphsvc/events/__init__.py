"""Events: the outbox's consumers (the feed, webhooks). The outbox itself is written by the change
statements (cypher/qualification/record_outcomes, transition; cypher/ingest/change_roles)."""
