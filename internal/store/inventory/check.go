package inventory

// Checks verify the supply: each one's status the one its received units
// imply.
var Checks = []struct{ Name, Query string }{
	{"supply whose status does not match what was received (supply id, status)", `
SELECT CAST(id AS TEXT), status, received, quantity FROM supply
WHERE (status = 'received') <> (received = quantity) OR status NOT IN ('open', 'received', 'cancelled')`},
}
