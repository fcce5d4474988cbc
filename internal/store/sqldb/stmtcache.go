package sqldb

import (
	"context"
	"database/sql"
	"slices"
	"sync"
)

// SQLite parses every statement it is given, and a batch of orders runs
// dozens of them: parsing was a fifth of the order writer's time. So the
// writer keeps the statements it runs again and again prepared on its one
// connection. A statement is prepared between transactions, once it has
// run twice unprepared (a transaction cannot prepare one on the pool while
// it holds the pool's only connection); a transaction then runs it through
// the prepared statement, which database/sql binds to the same connection
// without preparing it again. PostgreSQL needs none of this: pgx keeps a
// statement cache per connection.
//
// The read pool keeps a cache of its own, for the same reason: parsing was
// a quarter of the time of reading one order by id, or a customer's orders
// by email. database/sql prepares a pool's statement on each connection
// the first time it runs there.

// stmtCacheSize bounds the writer's prepared statements; texts beyond it
// are parsed each time. Multi-row statements come in power-of-two sizes
// (see InsertRows, InList), so a few hundred cover every shape.
// readStmtCacheSize bounds the read pool's, each of which may be prepared
// on every connection of the pool: the reads that repeat — an order, a
// list page, a search — are a few dozen texts.
const (
	stmtCacheSize     = 512
	readStmtCacheSize = 128
)

type stmtCache struct {
	limit  int // statements kept prepared; 0 keeps none
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	seen   map[string]bool // texts run once unprepared
	wanted []string        // texts run twice, to prepare
	// texts maps a query as written to the text SQLite is given
	// (Tx.statement): rewriting the parameters of a batch's statements,
	// thousands of characters each, cost more than looking them up here.
	texts map[textKey]string
}

// textKey is a query as written, and whether its transaction rolls back
// whole on a conflict (Tx.EndOnError).
type textKey struct {
	query string
	whole bool
}

// text returns the text the engine runs for the query, made the first
// time it is asked for. It keeps at most twice as many texts as it keeps
// statements, and starts again empty when full.
func (c *stmtCache) text(k textKey, e Engine) string {
	c.mu.Lock()
	q, ok := c.texts[k]
	c.mu.Unlock()
	if ok {
		return q
	}
	q = k.form(e)
	c.mu.Lock()
	if len(c.texts) >= 2*c.limit {
		clear(c.texts)
	}
	if c.texts == nil {
		c.texts = map[textKey]string{}
	}
	c.texts[k] = q
	c.mu.Unlock()
	return q
}

// get returns the prepared statement for q, or nil after noting that q ran
// unprepared.
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.stmts[q]; s != nil {
		return s
	}
	if len(c.stmts)+len(c.wanted) >= c.limit {
		return nil
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	switch {
	case !c.seen[q]:
		if len(c.seen) >= 4*c.limit {
			clear(c.seen)
		}
		c.seen[q] = true
	case !slices.Contains(c.wanted, q):
		c.wanted = append(c.wanted, q)
	}
	return nil
}

// prepareWanted prepares the statements that ran twice unprepared. It
// runs outside any transaction of the pool.
func (c *stmtCache) prepareWanted(ctx context.Context, pool *sql.DB) {
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	for _, q := range wanted {
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			continue // it runs unprepared, as it did
		}
		c.mu.Lock()
		if c.stmts[q] != nil {
			// Another caller prepared it meanwhile: keep that one, which
			// may be running, and drop this one, which never ran.
			c.mu.Unlock()
			s.Close()
			continue
		}
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		c.stmts[q] = s
		delete(c.seen, q)
		c.mu.Unlock()
	}
}

// close closes the prepared statements. A statement closes once its last
// rows are closed, so it is closed outside the lock that get takes.
func (c *stmtCache) close() {
	c.mu.Lock()
	stmts := c.stmts
	c.stmts = nil
	c.mu.Unlock()
	for _, s := range stmts {
		s.Close()
	}
}

// stmt returns the transaction's prepared form of q, or nil.
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	s := tx.stmts.get(q)
	if s == nil {
		return nil
	}
	return tx.tx.StmtContext(ctx, s)
}

// stmtCache is the pool's statement cache on SQLite, or nil.
func (db *DB) stmtCache(p *sql.DB) *stmtCache {
	switch {
	case db.Engine.Name != "sqlite":
		return nil
	case p == db.Write:
		return &db.stmts
	case p == db.Read:
		return &db.readStmts
	}
	return nil
}
