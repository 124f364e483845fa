// Accounts whose domain is one of the given domains (lead and contact matching by email domain).
// @param domains LIST<STRING> candidate domains, already lower-cased
// @column id STRING
// @column domain STRING
MATCH (a:Account)
WHERE a.domain IN $domains
RETURN a.id AS id, a.domain AS domain
ORDER BY id
