"""Identity of the people and companies in the graph (issue 15): merging duplicates into a survivor
(the merged ids and emails stay aliases of it), listing candidate duplicates, and erasing a person on
request (GDPR Art. 17) while the accounts' history and engagement stay consistent.

Ingest follows the aliases this package writes (`graphsvc.ingest.aliases`); the two packages share
statements, not code (services do not import each other).
"""
