"""Batch ingest of accounts, contacts, leads and activities: validate everything, then one write."""
