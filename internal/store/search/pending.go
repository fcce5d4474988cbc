package search

import (
	"context"
	"time"
)

// On PostgreSQL the search index (order_search_doc, GIN) takes new
// documents into its pending list (fastupdate, migration 0014): a
// placement appends its order's words to the list instead of inserting each
// word into the index's posting trees, and CleanSearchPending merges the
// list into the trees in bulk, where many orders share each word's page.
// A search reads the pending list as well as the trees, so it finds every
// committed order whether or not the list has been merged; merging often
// keeps that read short, and keeps the list under gin_pending_list_limit
// (4 MB by default), past which a placement would merge it itself while
// its order waits.
//
// Measured with oms bench on PostgreSQL 15 (32 clients, 2 cores): the index
// wrote 3,600 WAL bytes per order with fastupdate off, about 1,400 with the
// list merged every 2 to 5 seconds.
const DefaultCleanEvery = 5 * time.Second

// CleanSearchPending merges the search index's pending list into the index
// (PostgreSQL's gin_clean_pending_list) and returns how many pending-list
// pages it merged; on SQLite, whose search index has no such list, it does
// nothing. Any number of servers may call it at once: PostgreSQL lets one
// merge at a time and the others find the list empty or short.
func (ix *Index) CleanSearchPending(ctx context.Context) (int64, error) {
	if ix.db.Engine.Name != "postgres" {
		return 0, nil
	}
	var pages int64
	err := ix.db.Write.QueryRowContext(ctx, "SELECT gin_clean_pending_list('order_search_doc'::regclass)").Scan(&pages)
	return pages, err
}

// WALPosition returns PostgreSQL's current write-ahead log position in
// bytes, for measuring what a piece of work writes (the difference of two
// positions; the log is the whole server's, so other databases' work counts
// too). ok is false on SQLite.
func (ix *Index) WALPosition(ctx context.Context) (pos int64, ok bool, err error) {
	if ix.db.Engine.Name != "postgres" {
		return 0, false, nil
	}
	err = ix.db.Read.QueryRowContext(ctx, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint").Scan(&pos)
	return pos, err == nil, err
}
