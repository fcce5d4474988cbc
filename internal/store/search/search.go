// Package search finds orders and their customers from the search box:
// whole fields through their indexes first (order number, external id,
// email, phone, tracking number, a channel's customer id), then the words
// of each order's search document in the full-text index (SQLite FTS5,
// PostgreSQL GIN over a tsvector), then the last word as a prefix. It
// implements oms.Orders.Search on the engine seam (sqldb), rewrites an
// order's document in the transaction that changes a searched field
// (Reindex), and keeps PostgreSQL's index pending list merged
// (CleanSearchPending). Order placement writes a new order's document in
// its own batch insert (Row); who sees which orders and the customers'
// records come from the store (Hooks).
package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// The search index holds one row per order: its oms.SearchDocument. On
// SQLite it is an FTS5 table keyed by rowid = the order's seq; on PostgreSQL
// a table with a GIN index over doc, to_tsvector('simple', terms) stored. It is written
// with the order, in the batch's own insert, and rewritten in the same
// transaction whenever a searched field changes (a tracking number, the
// customer's contact).

// Index is the order search of a database.
type Index struct {
	db    *sqldb.DB
	hooks Hooks
}

// Hooks are what the search needs of the rest of the store.
type Hooks struct {
	// OrderScope is the condition that limits the orders table alias o to
	// the orders p sees, "" when p sees all; arg adds a parameter.
	OrderScope func(p oms.Principal, o string, arg func(any) string) string
	// Customers reads the customers by id, with their identities.
	Customers func(ctx context.Context, r Querier, ids []any) (map[int64]*oms.CustomerRecord, error)
}

// New returns the order search of db.
func New(db *sqldb.DB, h Hooks) *Index { return &Index{db: db, hooks: h} }

// Querier runs queries: a transaction, or a pool outside any transaction.
type Querier = sqldb.Querier

const (
	selectSearchSource = `
SELECT o.external_id, o.customer_email, o.customer_name, o.customer_phone FROM orders o WHERE o.seq = $1`
	selectTrackingNumbers = `
SELECT tracking_number FROM fulfillments WHERE order_seq = $1 AND tracking_number <> '' ORDER BY n`
	deleteSearchSQLite = `DELETE FROM order_search WHERE rowid = $1`
	insertSearchSQLite = `INSERT INTO order_search (rowid, terms) VALUES ($1, $2)`
	upsertSearchPG     = `
INSERT INTO order_search (order_seq, terms) VALUES ($1, $2)
ON CONFLICT (order_seq) DO UPDATE SET terms = EXCLUDED.terms`

	// The search tiers: whole fields through their b-tree indexes, then the
	// full-text index.
	searchExact = `
SELECT seq FROM (%s) AS m%s ORDER BY seq DESC LIMIT %s`
	searchWords = `SELECT seq FROM (%s) AS m%s ORDER BY seq DESC LIMIT $%d`
	// The two steps of a search on PostgreSQL (see searchWordsPG); the
	// MATERIALIZED fences keep the planner to each step's plan.
	searchRecentPG = `
WITH r AS MATERIALIZED (SELECT order_seq, doc FROM order_search ORDER BY order_seq DESC LIMIT $1)
SELECT order_seq FROM r WHERE doc @@ %s%s ORDER BY order_seq DESC LIMIT $2`
	searchAllPG = `
WITH m AS MATERIALIZED (SELECT order_seq FROM order_search WHERE doc @@ %s)
SELECT order_seq FROM m%s ORDER BY order_seq DESC LIMIT $1`
	// selectPrefixWords lists the indexed words that start with $1 (SQLite).
	selectPrefixWords = `SELECT term FROM order_search_vocab WHERE term >= $1 AND term < $2 ORDER BY term LIMIT $3`

	SelectOrderSummaries = `
SELECT o.seq, o.id, c.code, o.external_id, o.status, o.currency, o.total, o.customer_id, o.customer_email,
    o.customer_name, o.customer_phone, o.placed_at, o.amounts_unknown
FROM orders o JOIN channels c ON c.id = o.channel_id`
)

// maxSearchCustomers bounds the customers a search returns.
const maxSearchCustomers = 10

// Search finds orders by the search box entry q, best matches first (see
// oms.SearchQuery), and with opts.Customers the customers of those orders
// ahead of them, each in the tier of their first order. It reads through
// the pool, outside a transaction: each tier is one indexed statement.
func (ix *Index) Search(ctx context.Context, q oms.SearchQuery, opts oms.SearchOptions) ([]oms.SearchResult, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = oms.DefaultSearchSize
	}
	r := ix.db.ReadPool()
	hits, err := ix.searchHits(ctx, r, q, limit, opts)
	if err != nil {
		return nil, err
	}
	seqs := make([]any, len(hits))
	for i, h := range hits {
		seqs[i] = h.seq
	}
	orders, owners, err := OrderSummaries(ctx, ix.db.Engine, r, seqs)
	if err != nil {
		return nil, err
	}
	var custIDs []any
	custMatch := make(map[int64]oms.Match)
	for _, h := range hits {
		if id := owners[h.seq]; id != 0 && custMatch[id] == "" && len(custIDs) < maxSearchCustomers {
			custMatch[id] = h.match
			custIDs = append(custIDs, id)
		}
	}
	var custs map[int64]*oms.CustomerRecord
	if opts.Customers {
		if custs, err = ix.hooks.Customers(ctx, r, custIDs); err != nil {
			return nil, err
		}
	}
	// Each tier lists its customers, then its orders.
	out := []oms.SearchResult{}
	for _, m := range []oms.Match{oms.MatchExact, oms.MatchWords, oms.MatchPrefix} {
		for _, id := range custIDs {
			if c := custs[id.(int64)]; c != nil && custMatch[id.(int64)] == m {
				out = append(out, oms.SearchResult{Type: oms.ResultCustomer, Match: m, Customer: c})
			}
		}
		for _, h := range hits {
			if o := orders[h.seq]; o != nil && h.match == m {
				out = append(out, oms.SearchResult{Type: oms.ResultOrder, Match: m, Order: o})
			}
		}
	}
	return out, nil
}

// searchHit is an order a search found, and how.
type searchHit struct {
	seq   int64
	match oms.Match
}

// searchHits runs the tiers in turn until limit orders are found; an order
// counts in the first tier that finds it.
func (ix *Index) searchHits(ctx context.Context, r Querier, q oms.SearchQuery, limit int, opts oms.SearchOptions) ([]searchHit, error) {
	var hits []searchHit
	seen := make(map[int64]bool)
	for _, m := range []oms.Match{oms.MatchExact, oms.MatchWords, oms.MatchPrefix} {
		if len(hits) >= limit || m != oms.MatchExact && (len(q.Words) == 0 || opts.Identifiers) || m == oms.MatchPrefix && !q.Prefix() {
			continue
		}
		var seqs []int64
		var err error
		if m == oms.MatchExact {
			seqs, err = ix.searchExact(ctx, r, q.Text, limit, opts)
		} else {
			// Ask for as many more as may be found again.
			seqs, err = ix.searchWords(ctx, r, q.Words, m == oms.MatchPrefix, limit+len(hits), opts.Principal)
		}
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", m, err)
		}
		for _, s := range seqs {
			if !seen[s] && len(hits) < limit {
				seen[s] = true
				hits = append(hits, searchHit{s, m})
			}
		}
		if m == oms.MatchExact && len(hits) > 0 && q.Identifier() {
			break
		}
	}
	return hits, nil
}

// searchExact finds the orders a whole field of which is q: the order
// number, an external id, the customer's email or phone, a tracking number,
// or a channel's id for the customer (with opts.Identifiers, no field of
// the customer's). Each lookup uses an index; UNION, not OR, keeps every
// engine on them.
func (ix *Index) searchExact(ctx context.Context, r Querier, q string, limit int, opts oms.SearchOptions) ([]int64, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	t := arg(q)
	lookups := []string{
		"SELECT seq FROM orders WHERE channel_id IN (SELECT id FROM channels) AND external_id = " + t,
		"SELECT order_seq AS seq FROM fulfillments WHERE tracking_number <> '' AND tracking_number = " + t,
	}
	if !opts.Identifiers {
		lookups = append(lookups, "SELECT seq FROM orders WHERE customer_phone <> '' AND customer_phone = "+t,
			`SELECT o.seq FROM customer_identities i JOIN orders o ON o.customer_id = i.customer_id
		 WHERE i.channel_id IN (SELECT id FROM channels) AND i.external_id = `+t)
	}
	if n, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil && n > 0 {
		lookups = append(lookups, "SELECT seq FROM orders WHERE seq = "+arg(n))
	}
	if strings.Contains(q, "@") && !opts.Identifiers {
		lookups = append(lookups, "SELECT seq FROM orders WHERE customer_email = "+arg(oms.NormalizeEmail(q)))
	}
	query := fmt.Sprintf(searchExact, strings.Join(lookups, " UNION "), ix.seqScope(opts.Principal, "m.seq", arg), arg(limit))
	return sqldb.QueryColumn[int64](ctx, r, query, args...)
}

// seqScope is " WHERE" and the condition that the order sequence number
// seq is of an order p sees; "" when it sees all.
func (ix *Index) seqScope(p oms.Principal, seq string, arg func(any) string) string {
	c := ix.hooks.OrderScope(p, "so", arg)
	if c == "" {
		return ""
	}
	return " WHERE " + seq + " IN (SELECT so.seq FROM orders so WHERE " + c + ")"
}

// searchWords finds the orders whose search document holds every word,
// the last one as a prefix with prefix.
func (ix *Index) searchWords(ctx context.Context, r Querier, words []string, prefix bool, limit int, p oms.Principal) ([]int64, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if ix.db.Engine.Name == "postgres" {
		return ix.searchWordsPG(ctx, r, words, prefix, limit, p)
	}
	var q string
	if prefix {
		// FTS5 would read the whole doclist of every word the prefix
		// starts; its vocabulary names the words first, and the query asks
		// for them as words.
		last := words[len(words)-1]
		starts, err := sqldb.QueryColumn[string](ctx, r, selectPrefixWords, last, last+"\U0010FFFF", maxPrefixWords)
		if err != nil || len(starts) == 0 {
			return nil, err
		}
		q = ftsLookup(words[:len(words)-1], starts, "", arg)
	} else {
		q = ftsLookup(words, nil, "", arg)
	}
	scope := ix.seqScope(p, "m.seq", arg)
	args = append(args, limit)
	return sqldb.QueryColumn[int64](ctx, r, fmt.Sprintf(searchWords, q, scope, len(args)), args...)
}

// searchWordsPG runs searchWords on PostgreSQL in two steps, since no
// single plan serves both kinds of words. A common word is in many orders:
// the newest ones hold enough of them, where the GIN index would fetch
// every match only to keep the newest. A rare one is in few: the GIN index
// finds them at once, where walking back from the newest orders would read
// them all. So the newest recentWindow orders are tried first, and the
// index only when they hold too few — that is, when the words are rare.
func (ix *Index) searchWordsPG(ctx context.Context, r Querier, words []string, prefix bool, limit int, p oms.Principal) ([]int64, error) {
	match := tsQuery(words, prefix)
	arg, args := sqldb.Numbered([]any{recentWindow, limit})
	scope := ""
	if s := ix.seqScope(p, "order_seq", arg); s != "" {
		scope = " AND" + strings.TrimPrefix(s, " WHERE")
	}
	seqs, err := sqldb.QueryColumn[int64](ctx, r, fmt.Sprintf(searchRecentPG, match, scope), args()...)
	if err != nil || len(seqs) >= limit {
		return seqs, err
	}
	arg, args = sqldb.Numbered([]any{limit})
	return sqldb.QueryColumn[int64](ctx, r, fmt.Sprintf(searchAllPG, match, ix.seqScope(p, "order_seq", arg)), args()...)
}

// recentWindow is how many of the newest orders a search on PostgreSQL
// reads before it turns to the index.
const recentWindow = 2000

// tsQuery is the query matching every word, the last as a prefix with
// prefix, as a tsquery literal: search words hold only letters and digits,
// so it needs no escaping. It is written into the statement rather than
// passed as a parameter so that each search is planned for its words.
func tsQuery(words []string, prefix bool) string {
	q := strings.Join(words, " & ")
	if prefix {
		q += ":*"
	}
	return "'" + q + "'::tsquery"
}

// maxPrefixWords bounds the words a prefix stands for in a search on
// SQLite: the first ones in alphabetical order.
const maxPrefixWords = 50

// ftsLookup is the FTS5 statement for the orders holding every word of
// all, at least one of anyOf (if any), and a word starting with prefix (if
// not empty).
func ftsLookup(all, anyOf []string, prefix string, arg func(any) string) string {
	quote := func(ws []string) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			out[i] = `"` + w + `"`
		}
		return out
	}
	terms := quote(all)
	if len(anyOf) > 0 {
		terms = append(terms, "("+strings.Join(quote(anyOf), " OR ")+")")
	}
	if prefix != "" {
		terms = append(terms, `"`+prefix+`"*`)
	}
	return "SELECT rowid AS seq FROM order_search WHERE order_search MATCH " + arg(strings.Join(terms, " AND "))
}

// WordsLookup is a statement on engine e selecting the seq of the orders
// whose search document holds every word, the last one as a prefix with
// prefix; arg adds a parameter.
func WordsLookup(e sqldb.Engine, words []string, prefix bool, arg func(any) string) string {
	if e.Name == "postgres" {
		return "SELECT order_seq AS seq FROM order_search WHERE doc @@ " + tsQuery(words, prefix)
	}
	if prefix {
		return ftsLookup(words[:len(words)-1], nil, words[len(words)-1], arg)
	}
	return ftsLookup(words, nil, "", arg)
}

// OrderSummaries reads the orders by seq through r on engine e, with the
// customer of each.
func OrderSummaries(ctx context.Context, e sqldb.Engine, r Querier, seqs []any) (map[int64]*oms.OrderSummary, map[int64]int64, error) {
	out, owners := make(map[int64]*oms.OrderSummary), make(map[int64]int64)
	if len(seqs) == 0 {
		return out, owners, nil
	}
	in, args := e.InList("o.seq", "bigint", seqs, nil)
	rows, err := r.QueryContext(ctx, SelectOrderSummaries+" WHERE "+in, args...)
	if err != nil {
		return nil, nil, err
	}
	err = ScanSummaries(rows, func(seq, customer int64, o *oms.OrderSummary) {
		out[seq], owners[seq] = o, customer
	})
	return out, owners, err
}

// ScanSummaries reads rows of SelectOrderSummaries, calling each for
// every order with its seq and customer id (0 for none).
func ScanSummaries(rows *sql.Rows, each func(seq, customer int64, o *oms.OrderSummary)) error {
	defer rows.Close()
	for rows.Next() {
		var o oms.OrderSummary
		var seq int64
		var customer sql.NullInt64
		if err := rows.Scan(&seq, &o.ID, &o.Channel, &o.ExternalID, &o.Status, &o.Currency, &o.Total, &customer,
			&o.Customer.Email, &o.Customer.Name, &o.Customer.Phone, &o.PlacedAt, &o.AmountsUnknown); err != nil {
			return err
		}
		o.Number, o.PlacedAt = strconv.FormatInt(seq, 10), o.PlacedAt.UTC()
		each(seq, customer.Int64, &o)
	}
	return rows.Err()
}
