// What an import leaves in the graph, counted (the import tests and `graphsvc import` check these):
// links by kind, imported buying roles, contacts without an employer and leads matched to a contact.
// @column accounts INTEGER
// @column contacts INTEGER
// @column leads INTEGER
// @column works_at INTEGER contacts with an employer (WORKS_AT)
// @column hierarchy_links INTEGER SUBSIDIARY_OF links
// @column reports_to INTEGER REPORTS_TO links
// @column imported_roles INTEGER MEMBER_OF links with source import
// @column matched_leads INTEGER leads with a MATCHED_TO contact
// @column opportunities INTEGER opportunities linked to an account
// @column won_accounts INTEGER accounts in stage won
OPTIONAL MATCH (a:Account)
WITH count(a) AS accounts
OPTIONAL MATCH (c:Contact)
WITH accounts, count(c) AS contacts
OPTIONAL MATCH (l:Lead)
WITH accounts, contacts, count(l) AS leads
OPTIONAL MATCH (:Contact)-[w:WORKS_AT]->(:Account)
WITH accounts, contacts, leads, count(w) AS works_at
OPTIONAL MATCH (:Account)-[s:SUBSIDIARY_OF]->(:Account)
WITH accounts, contacts, leads, works_at, count(s) AS hierarchy_links
OPTIONAL MATCH (:Contact)-[r:REPORTS_TO]->(:Contact)
WITH accounts, contacts, leads, works_at, hierarchy_links, count(r) AS reports_to
OPTIONAL MATCH (:Contact)-[m:MEMBER_OF]->(:BuyingGroup)
WHERE m.source = 'import'
WITH accounts, contacts, leads, works_at, hierarchy_links, reports_to, count(m) AS imported_roles
OPTIONAL MATCH (ml:Lead)-[:MATCHED_TO]->(:Contact)
WITH accounts, contacts, leads, works_at, hierarchy_links, reports_to, imported_roles,
     count(DISTINCT ml) AS matched_leads
OPTIONAL MATCH (:Account)-[:HAS_OPPORTUNITY]->(o:Opportunity)
WITH accounts, contacts, leads, works_at, hierarchy_links, reports_to, imported_roles, matched_leads,
     count(DISTINCT o) AS opportunities
OPTIONAL MATCH (w:Account {stage: 'won'})
RETURN accounts, contacts, leads, works_at, hierarchy_links, reports_to, imported_roles, matched_leads,
       opportunities, count(w) AS won_accounts
