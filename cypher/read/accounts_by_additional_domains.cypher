// Accounts that list one of the given domains among their additional domains (`domains`: e-mail
// domains of their people that differ from their website, e.g. uog.com for uos.com). Asked only for
// the domains no account has as its main domain, so the common case stays on the domain index.
// @param domains LIST<STRING> candidate domains, already lower-cased
// @column id STRING
// @column domain STRING the additional domain that matched
MATCH (a:Account)
WHERE a.domains IS NOT NULL AND any(d IN a.domains WHERE d IN $domains)
UNWIND a.domains AS domain
WITH a, domain
WHERE domain IN $domains
RETURN a.id AS id, domain
ORDER BY id
