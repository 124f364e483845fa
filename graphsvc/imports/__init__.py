"""CRM import: HubSpot and Salesforce exports (CSV, XLSX) into the graph through the ingest service."""
