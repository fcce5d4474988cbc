package customers

// Checks verify customers and their identities. Each query returns one
// row per violation (what, which, found, expected), as the store's order
// checks do.
var Checks = []struct{ Name, Query string }{
	{"customer email not normalised (customer id, email)", `
SELECT CAST(id AS TEXT), email, 0, 0 FROM customers
WHERE email IS NOT NULL AND (email <> lower(trim(email)) OR email = '')`},
	{"customer with neither an email nor a channel identity", `
SELECT CAST(c.id AS TEXT), c.name, 0, 0 FROM customers c
WHERE c.email IS NULL AND NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id)`},
	{"identity of an unknown customer or channel", `
SELECT CAST(i.channel_id AS TEXT), i.external_id, i.customer_id, 0 FROM customer_identities i
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = i.customer_id)
   OR NOT EXISTS (SELECT 1 FROM channels ch WHERE ch.id = i.channel_id)`},
	{"customer without orders (customer id, email)", `
SELECT CAST(c.id AS TEXT), COALESCE(c.email, ''), 0, 0 FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)`},
	{"order with an email but no customer", `
SELECT o.seq, o.id, 0, 0 FROM orders o WHERE o.customer_email <> '' AND o.customer_id IS NULL`},
}
