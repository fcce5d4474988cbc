package sqldb

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's page cache keeps, for each database connection, the highest page
// number it holds (iMaxKey), so that dropping the pages past the end of the
// file at the end of a transaction looks only at the hash slots of the page
// numbers between, a few slots. When a B-tree page splits and the new pages
// are out of order, SQLite swaps two pages' numbers through a spare one, the
// number of the page that holds the file's lock bytes (page 262,145 at 4 KiB
// pages, past the end of any database under 1 GiB) — and the highest number
// stays there after the swap. Every transaction end then walks the whole
// hash table of the writer's 32 MiB cache, page by page: 14–18 µs an order
// of the SQLite writer's CPU in oms bench, some 5 %.
//
// The page cache this process gives SQLite is therefore SQLite's own with
// one change to xRekey: when a page leaves that spare number, the highest
// page number goes back to what it was before the page came to it (or the
// page's new number, if higher). Both numbers of the swap are pages the
// cache held before it, and nothing else enters the cache in between, so
// the highest number is as exact as SQLite's own. The cache is given to
// SQLite once, before the first connection opens; where SQLite had already
// started, SQLite keeps its cache as it is, and only speed differs.

// pendingByte is the offset of SQLite's lock bytes (PENDING_BYTE); the page
// that holds it is the spare number of a swap.
const pendingByte = 0x40000000

var (
	pcacheOnce sync.Once
	// pcacheRekeyUnix is SQLite's own xRekey.
	pcacheRekeyUnix uintptr
	// pcacheSwaps holds, for each cache with a page at the spare number,
	// its highest page number before the page came there.
	pcacheSwapsMu sync.Mutex
	pcacheSwaps   = map[uintptr]uint32{}
	// pcacheInstalled says whether SQLite took the cache, pcacheRestored
	// counts the swaps whose highest number went back, and pcacheLast is
	// the cache of the last one, for tests.
	pcacheInstalled atomic.Bool
	pcacheRestored  atomic.Int64
	pcacheLast      atomic.Uintptr
)

// SQLite takes a page cache only before it starts, which the first
// connection of the process does: the package's init is before any.
func init() { installPageCache() }

// installPageCache gives SQLite, once, its own page cache with the xRekey
// above, if SQLite has not started yet.
func installPageCache() {
	pcacheOnce.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		size := libc.Tsize_t(unsafe.Sizeof(sqlite3.Tsqlite3_pcache_methods2{}))
		methods := libc.Xcalloc(tls, 1, size)
		va := libc.Xmalloc(tls, libc.Tsize_t(unsafe.Sizeof(uintptr(0))))
		if methods == 0 || va == 0 {
			libc.Xfree(tls, methods)
			libc.Xfree(tls, va)
			return
		}
		defer libc.Xfree(tls, va)
		if sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_GETPCACHE2, libc.VaList(va, methods)) != sqlite3.SQLITE_OK {
			libc.Xfree(tls, methods)
			return
		}
		m := at[sqlite3.Tsqlite3_pcache_methods2](methods)
		if m.FxRekey == 0 {
			libc.Xfree(tls, methods)
			return
		}
		pcacheRekeyUnix = m.FxRekey
		*(*func(*libc.TLS, uintptr, uintptr, uint32, uint32))(unsafe.Pointer(&m.FxRekey)) = pcacheRekey
		// SQLite copies the methods; it refuses them once it has started.
		if sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE2, libc.VaList(va, methods)) == sqlite3.SQLITE_OK {
			pcacheInstalled.Store(true)
		}
		libc.Xfree(tls, methods)
	})
}

// pcacheRekey files the page pPg of cache p, held under iOld, under iNew, as
// SQLite's own xRekey does, and puts the cache's highest page number back
// when the page leaves the spare number of a swap.
func pcacheRekey(tls *libc.TLS, p, pPg uintptr, iOld, iNew uint32) {
	c := at[sqlite3.TPCache1](p)
	before := c.FiMaxKey
	(*(*func(*libc.TLS, uintptr, uintptr, uint32, uint32))(unsafe.Pointer(&pcacheRekeyUnix)))(tls, p, pPg, iOld, iNew)
	spare := uint32(pendingByte/c.FszPage + 1)
	switch {
	case iNew == spare && before < spare:
		pcacheSwapsMu.Lock()
		pcacheSwaps[p] = before
		pcacheSwapsMu.Unlock()
	case iOld == spare:
		pcacheSwapsMu.Lock()
		was, ok := pcacheSwaps[p]
		delete(pcacheSwaps, p)
		pcacheSwapsMu.Unlock()
		if ok && c.FiMaxKey == spare {
			c.FiMaxKey = max(was, iNew)
			pcacheRestored.Add(1)
			pcacheLast.Store(p)
		}
	}
}
