package reports

// stockChecks verify the stock rollup and the stockout spells against the
// balances and each other.
var stockChecks = []struct{ name, query string }{
	{"stock rollup: the latest day's closing on hand or reserved is not the balance (sku, location)", `
SELECT i.sku, l.code, b.on_hand * 1000000 + b.reserved, COALESCE(s.on_hand * 1000000 + s.reserved, 0)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN stock_rollup s ON s.item_id = b.item_id AND s.location_id = b.location_id AND s.span = 'day'
    AND s.day = (SELECT MAX(x.day) FROM stock_rollup x
                 WHERE x.item_id = b.item_id AND x.location_id = b.location_id AND x.span = 'day')
WHERE (s.item_id IS NULL AND (b.on_hand <> 0 OR b.reserved <> 0))
   OR s.on_hand <> b.on_hand OR s.reserved <> b.reserved`},
	{"stock rollup: the days' net change is not the balance's on hand (sku, location)", `
SELECT i.sku, l.code, b.on_hand, COALESCE(s.net, 0)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN (SELECT item_id, location_id, SUM(net) AS net FROM stock_rollup WHERE span = 'day'
           GROUP BY item_id, location_id) s ON s.item_id = b.item_id AND s.location_id = b.location_id
WHERE b.on_hand <> COALESCE(s.net, 0)`},
	{"stock rollup: a month is not the sum of its days (item id, month's first day)", `
SELECT CAST(m.item_id AS TEXT), CAST(m.day AS TEXT), m.net * 1000000 + m.shipped, COALESCE(SUM(d.net), 0) * 1000000 + COALESCE(SUM(d.shipped), 0)
FROM stock_rollup m
LEFT JOIN stock_rollup d ON d.item_id = m.item_id AND d.location_id = m.location_id AND d.span = 'day'
    AND d.day >= m.day AND d.day < m.next_day
WHERE m.span = 'month'
GROUP BY m.item_id, m.location_id, m.day, m.net, m.shipped, m.received, m.cogs, m.unit_days, m.next_day
HAVING m.net <> COALESCE(SUM(d.net), 0) OR m.shipped <> COALESCE(SUM(d.shipped), 0)
    OR m.received <> COALESCE(SUM(d.received), 0) OR m.cogs <> COALESCE(SUM(d.cogs), 0)
    OR m.unit_days <> COALESCE(SUM(d.net * (m.next_day - d.day)), 0)`},
	{"stockout spell open while stock is unreserved, or two open at once (sku, location)", `
SELECT i.sku, l.code, COUNT(*), MAX(b.on_hand - b.reserved)
FROM stockout_spells p
JOIN items i ON i.id = p.item_id JOIN locations l ON l.id = p.location_id
LEFT JOIN balances b ON b.item_id = p.item_id AND b.location_id = p.location_id
WHERE p.ended_at IS NULL
GROUP BY i.sku, l.code
HAVING COUNT(*) > 1 OR MAX(COALESCE(b.on_hand - b.reserved, 0)) > 0`},
}
