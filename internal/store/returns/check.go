package returns

// Checks verify returns and refunds: never more refunded than paid,
// each line's returned units the units received on its returns, and each
// restocked unit in the ledger (and each return movement there owned by
// received units).
var Checks = []struct{ Name, Query string }{
	{"refunded more than the order's total (order)", `
SELECT CAST(o.seq AS TEXT), o.id, o.total, SUM(f.amount)
FROM orders o JOIN refunds f ON f.order_seq = o.seq
GROUP BY o.seq, o.id, o.total
HAVING SUM(f.amount) > o.total`},
	{"refund without its order, or in another currency (refund)", `
SELECT CAST(f.id AS TEXT), f.currency, f.amount, 0
FROM refunds f LEFT JOIN orders o ON o.seq = f.order_seq
WHERE o.seq IS NULL OR o.currency <> f.currency`},
	{"return refund not tied to a closed return of its order (refund)", `
SELECT CAST(f.id AS TEXT), f.kind, f.amount, 0
FROM refunds f LEFT JOIN returns r ON r.id = f.return_id
WHERE (f.kind = 'return') <> (f.return_id IS NOT NULL)
   OR (f.return_id IS NOT NULL AND (r.id IS NULL OR r.status <> 'closed' OR r.order_seq <> f.order_seq))`},
	{"line returned is not the units received on its returns (order, line position)", `
SELECT CAST(l.order_seq AS TEXT), CAST(l.position AS TEXT), l.qty_returned, COALESCE(u.q, 0)
FROM order_lines l
LEFT JOIN (
    SELECT r.order_seq, ru.position, SUM(ru.quantity) AS q
    FROM return_units ru JOIN returns r ON r.id = ru.return_id
    GROUP BY r.order_seq, ru.position
) u ON u.order_seq = l.order_seq AND u.position = l.position
WHERE l.qty_returned <> COALESCE(u.q, 0)`},
	{"return line received is not its received units (return, line position)", `
SELECT CAST(rl.return_id AS TEXT), CAST(rl.position AS TEXT), rl.received, COALESCE(u.q, 0)
FROM return_lines rl
LEFT JOIN (SELECT return_id, position, SUM(quantity) AS q FROM return_units GROUP BY return_id, position) u
    ON u.return_id = rl.return_id AND u.position = rl.position
WHERE rl.received <> COALESCE(u.q, 0)`},
	{"restocked units without their ledger movement, or scrapped units with one (return, unit)", `
SELECT CAST(ru.return_id AS TEXT), CAST(ru.n AS TEXT), ru.quantity, COALESCE(g.delta, 0)
FROM return_units ru JOIN returns r ON r.id = ru.return_id
JOIN order_lines l ON l.order_seq = r.order_seq AND l.position = ru.position
LEFT JOIN ledger g ON g.id = ru.ledger_id
WHERE (ru.disposition = 'restock' AND (g.id IS NULL OR g.kind <> 'return' OR g.delta <> ru.quantity
        OR g.location_id <> ru.location_id OR g.item_id <> l.item_id))
   OR (ru.disposition = 'scrap' AND ru.ledger_id IS NOT NULL)`},
	{"return movement in the ledger without its received units (ledger id)", `
SELECT CAST(g.id AS TEXT), g.kind, g.delta, 0
FROM ledger g
WHERE g.kind = 'return' AND NOT EXISTS (SELECT 1 FROM return_units ru WHERE ru.ledger_id = g.id)`},
}
