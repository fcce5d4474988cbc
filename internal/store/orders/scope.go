package orders

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// A principal bound to channels or locations (see oms.Principal) sees only
// what is theirs. The conditions here filter its lists in SQL, before the
// page is cut, and the Authorize methods answer ENOTFOUND for anything else
// it names by id, so that it cannot even learn that the thing exists.
//
// Each condition takes arg, which adds a parameter and returns its
// placeholder ($3), and returns "" when the principal sees everything.

// codeList adds the codes as parameters and returns their placeholders,
// comma-separated; "" for none.
func codeList(codes []string, arg func(any) string) string {
	ps := make([]string, len(codes))
	for i, c := range codes {
		ps[i] = arg(c)
	}
	return strings.Join(ps, ", ")
}

// inCodes is the condition that expr is one of the codes: never, for none.
func inCodes(expr string, codes []string, arg func(any) string) string {
	if len(codes) == 0 {
		return "1 = 0"
	}
	return expr + " IN (" + codeList(codes, arg) + ")"
}

// locationIDs is a subquery of the ids of the locations with the codes.
func locationIDs(codes []string, arg func(any) string) string {
	return "(SELECT id FROM locations WHERE " + inCodes("code", codes, arg) + ")"
}

// OrderScope is the condition on the orders row o that keeps the orders p
// may see: those of its channels, and those at its locations — with units
// allocated or fulfilled there, or to be picked up there.
func OrderScope(p oms.Principal, o string, arg func(any) string) string {
	var conds []string
	if p.ChannelBound() {
		conds = append(conds, o+".channel_id IN (SELECT id FROM channels WHERE "+inCodes("code", p.Channels, arg)+")")
	}
	if p.LocationBound() {
		locs := locationIDs(p.Locations, arg)
		conds = append(conds, "(EXISTS (SELECT 1 FROM allocations sa WHERE sa.order_seq = "+o+".seq AND sa.location_id IN "+locs+")"+
			" OR EXISTS (SELECT 1 FROM fulfillments sf WHERE sf.order_seq = "+o+".seq AND sf.location_id IN "+locs+")"+
			" OR "+inCodes(o+".pickup_location", p.Locations, arg)+")")
	}
	return strings.Join(conds, " AND ")
}

// LocationScope is the condition that the location id expr is one of p's
// locations.
func LocationScope(p oms.Principal, expr string, arg func(any) string) string {
	if !p.LocationBound() {
		return ""
	}
	return expr + " IN " + locationIDs(p.Locations, arg)
}

// jsonText is the text at the path (keys, outermost first) in the JSON
// held by the text column col; NULL where there is none.
func (e engine) jsonText(col string, path ...string) string {
	if e.Name == "postgres" {
		return "(" + col + "::jsonb #>> '{" + strings.Join(path, ",") + "}')"
	}
	return "json_extract(" + col + ", '$." + strings.Join(path, ".") + "')"
}

// typeIs is the condition that the event type column typ starts with
// prefix; the prefixes are oms's own constants, written in the statement.
func typeIs(typ, prefix string) string {
	return "substr(" + typ + ", 1, " + strconv.Itoa(len(prefix)) + ") = '" + prefix + "'"
}

// eventScope is the condition on the events row ev that keeps the events p
// may read: those of the kinds its role reads (oms.EventReaders); bound,
// only the events of the orders it sees, the stock movements and supply of
// its locations, and the availability, SKU mappings and settings of its
// channels.
func (e engine) eventScope(p oms.Principal, ev string, arg func(any) string) string {
	if p.Role == "" || p.Role == oms.RoleAdmin && !p.Bound() {
		return ""
	}
	var kinds strings.Builder
	kinds.WriteString("CASE")
	for _, r := range oms.EventReaders() {
		allowed := "0"
		if p.Allows(r.Perm) {
			allowed = "1"
		}
		kinds.WriteString(" WHEN " + typeIs(ev+".type", r.Prefix) + " THEN " + allowed)
	}
	kinds.WriteString(" ELSE 0 END = 1")
	conds := []string{kinds.String()}
	if !p.Bound() {
		return conds[0]
	}
	conds = append(conds, "("+ev+".order_id IS NULL OR EXISTS (SELECT 1 FROM orders so WHERE so.id = "+ev+".order_id AND "+
		OrderScope(p, "so", arg)+"))")
	if p.ChannelBound() {
		// Subjects: the channel's code, or code/sku.
		var mine []string
		for _, c := range p.Channels {
			mine = append(mine, ev+".subject = "+arg(c), typeIs(ev+".subject", c+"/"))
		}
		if len(mine) == 0 {
			mine = []string{"1 = 0"}
		}
		conds = append(conds, "("+ev+".type NOT IN ('"+oms.EventAvailabilityChanged+"', '"+oms.EventSKUMapped+"', '"+
			oms.EventChannelSaved+"') OR "+strings.Join(mine, " OR ")+")")
	}
	if p.LocationBound() {
		stock := ev + ".type = '" + oms.EventInventoryAdjusted + "' OR " + typeIs(ev+".type", "supply.") + " OR " +
			typeIs(ev+".type", "transfer.")
		codes := codeList(p.Locations, arg)
		data := ev + ".data"
		conds = append(conds, "(NOT ("+stock+") OR "+e.jsonText(data, "location")+" IN ("+codes+") OR "+
			e.jsonText(data, "supply", "location")+" IN ("+codes+") OR "+e.jsonText(data, "from")+" IN ("+codes+"))")
	}
	return strings.Join(conds, " AND ")
}

// numbered returns an arg function that adds parameters after those in
// args, and a function returning all of them (sqldb.Numbered).
func numbered(args []any) (func(any) string, func() []any) { return sqldb.Numbered(args) }

// authorize runs the query (which selects one row per match) and returns
// ENOTFOUND, with the message, when it finds nothing.
func (db *DB) authorize(ctx context.Context, q string, args []any, format string, ref any) error {
	var one int
	err := db.ReadPool().QueryRowContext(ctx, q+" LIMIT 1", args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(format, ref)
	}
	return err
}

// AuthorizeOrder returns ENOTFOUND unless the order (by id or number)
// exists and p may see it.
func (db *DB) AuthorizeOrder(ctx context.Context, p oms.Principal, ref string) error {
	where, ref0, ok := orderRef(ref)
	if !ok {
		return notFound("order %q does not exist", ref)
	}
	arg, args := numbered([]any{ref0})
	q := "SELECT 1 FROM orders o" + where
	if c := OrderScope(p, "o", arg); c != "" {
		q += " AND " + c
	}
	return db.authorize(ctx, q, args(), "order %q does not exist", ref)
}

// AuthorizeFulfillment returns ENOTFOUND unless the fulfillment exists and
// p may see it: its order is one p sees, and it ships from one of p's
// locations or is to be picked up at one.
func (db *DB) AuthorizeFulfillment(ctx context.Context, p oms.Principal, id string) error {
	seq, n, ok := oms.ParseFulfillmentID(id)
	if !ok {
		return notFound("fulfillment %q does not exist", id)
	}
	arg, args := numbered([]any{seq, n})
	q := "SELECT 1 FROM fulfillments f JOIN orders o ON o.seq = f.order_seq WHERE f.order_seq = $1 AND f.n = $2"
	if p.ChannelBound() {
		q += " AND o.channel_id IN (SELECT id FROM channels WHERE " + inCodes("code", p.Channels, arg) + ")"
	}
	if p.LocationBound() {
		q += " AND (" + LocationScope(p, "f.location_id", arg) + " OR " + inCodes("o.pickup_location", p.Locations, arg) + ")"
	}
	return db.authorize(ctx, q, args(), "fulfillment %q does not exist", id)
}

// AuthorizeReturn returns ENOTFOUND unless the return exists and p may see
// its order.
func (db *DB) AuthorizeReturn(ctx context.Context, p oms.Principal, ref string) error {
	n, err := returnRef(ref)
	if err != nil {
		return err
	}
	arg, args := numbered([]any{n})
	q := "SELECT 1 FROM returns r JOIN orders o ON o.seq = r.order_seq WHERE r.id = $1"
	if c := OrderScope(p, "o", arg); c != "" {
		q += " AND " + c
	}
	return db.authorize(ctx, q, args(), "return %q does not exist", ref)
}

// AuthorizeSupply returns ENOTFOUND unless the supply exists and is due at
// one of p's locations.
func (db *DB) AuthorizeSupply(ctx context.Context, p oms.Principal, id int64) error {
	arg, args := numbered([]any{id})
	q := "SELECT 1 FROM supply s WHERE s.id = $1"
	if c := LocationScope(p, "s.location_id", arg); c != "" {
		q += " AND " + c
	}
	return db.authorize(ctx, q, args(), "supply %d does not exist", id)
}
