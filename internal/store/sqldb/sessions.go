package sqldb

import (
	"context"
	"database/sql"
)

// selectSessions reads what each client session of the database, the
// caller's aside, is doing: its state and what it waits for, if anything.
const selectSessions = `
SELECT state, COALESCE(wait_event_type, ''), COALESCE(wait_event, '')
FROM pg_stat_activity
WHERE datname = current_database() AND backend_type = 'client backend'
  AND pid <> pg_backend_pid() AND state IS NOT NULL`

// SessionStates returns, on PostgreSQL, what each client session of the
// database other than the caller's is doing at this moment: its state
// ("active", "idle", "idle in transaction" …), followed by " · " and the
// wait event's type and name while it waits for something other than its
// client ("active · Lock/transactionid", "active · IO/WALSync"). The
// sessions are the database's, not only this process's: other work on it
// shows too. On SQLite, which has no sessions, it returns nil and false.
func (db *DB) SessionStates(ctx context.Context) ([]string, bool, error) {
	if db.Engine.Name != "postgres" {
		return nil, false, nil
	}
	var states []string
	err := db.View(ctx, func(tx *Tx) error {
		states = states[:0]
		return tx.Each(ctx, selectSessions, nil, func(rows *sql.Rows) error {
			var state, kind, event string
			if err := rows.Scan(&state, &kind, &event); err != nil {
				return err
			}
			states = append(states, sessionState(state, kind, event))
			return nil
		})
	})
	return states, err == nil, err
}

// sessionState names a session's state and wait; waiting for its client
// is the state itself (idle, or idle in a transaction), not a wait.
func sessionState(state, kind, event string) string {
	if kind == "" || kind == "Client" {
		return state
	}
	return state + " · " + kind + "/" + event
}

// selectServerPIDs reads the process ids of the server's processes that
// work for this database: its sessions and the server's own processes.
const selectServerPIDs = `
SELECT pid FROM pg_stat_activity
WHERE datname = current_database() OR datname IS NULL`

// ServerPIDs returns, on PostgreSQL, the process ids of the server's
// processes that work for this database: its sessions (the caller's among
// them) and the server's background processes (the WAL writer, the
// checkpointer …), which serve every database. On SQLite, which has no
// server, it returns nil and false.
func (db *DB) ServerPIDs(ctx context.Context) ([]int64, bool, error) {
	if db.Engine.Name != "postgres" {
		return nil, false, nil
	}
	pids, err := QueryColumn[int64](ctx, db.Read, selectServerPIDs)
	return pids, err == nil, err
}
