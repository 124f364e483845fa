// How many nodes of each kind the graph holds (health, seeding, tests).
// @column accounts INTEGER
// @column contacts INTEGER
// @column leads INTEGER
// @column activities INTEGER
OPTIONAL MATCH (a:Account)
WITH count(a) AS accounts
OPTIONAL MATCH (c:Contact)
WITH accounts, count(c) AS contacts
OPTIONAL MATCH (l:Lead)
WITH accounts, contacts, count(l) AS leads
OPTIONAL MATCH (x:Activity)
RETURN accounts, contacts, leads, count(x) AS activities
