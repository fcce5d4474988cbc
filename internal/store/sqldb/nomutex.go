package sqldb

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The driver opens every connection SQLITE_OPEN_FULLMUTEX: SQLite then
// takes the connection's own mutex on nearly every call — each bound value,
// each column read, each step — so that two threads could share it.
// database/sql never lets two goroutines use one connection at once (and
// the driver, as its documentation says, could not bear it: its own state
// is used before that mutex is reached), so the mutex guards nothing here;
// on the writer it cost about a tenth of its CPU. A connection whose DSN
// carries noMutexParam has it taken away right after it opens, which leaves
// it as SQLITE_OPEN_NOMUTEX would have: one that SQLite does not serialize.
// sqlite3_interrupt, which the driver calls from another goroutine when a
// context ends, takes no mutex.
const noMutexParam = "_oms_nomutex=1"

var (
	noMutexOnce sync.Once
	// noMutexDropped counts the connections whose mutex was taken away,
	// for tests.
	noMutexDropped atomic.Int64
)

// registerNoMutex installs, once, the connection hook that drops the
// mutex of the connections whose DSN asks for it.
func registerNoMutex() {
	noMutexOnce.Do(func() { sqlite.RegisterConnectionHook(dropMutex) })
}

// dropMutex takes the connection's mutex away and frees it, when dsn asks
// for that. It fails the open of a connection it cannot reach, so that a
// driver whose connection has changed shape is noticed rather than left
// with its mutex.
func dropMutex(c sqlite.ExecQuerierContext, dsn string) error {
	if !strings.Contains(dsn, noMutexParam) {
		return nil
	}
	h := connHandle(c)
	if h == 0 {
		return fmt.Errorf("sqlite: the driver's connection %T has no database handle to drop the mutex of", c)
	}
	db := at[sqlite3.Tsqlite3](h)
	m := db.Fmutex
	if m == 0 {
		return nil
	}
	db.Fmutex = 0
	tls := libc.NewTLS()
	sqlite3.Xsqlite3_mutex_free(tls, m)
	tls.Close()
	noMutexDropped.Add(1)
	return nil
}

// connHandle is the sqlite3* of a driver connection: its unexported db
// field, read through reflect; 0 when the connection has no such field.
func connHandle(c any) uintptr {
	v := reflect.ValueOf(c)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return 0
	}
	f := v.FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Uintptr {
		return 0
	}
	return uintptr(f.Uint())
}
