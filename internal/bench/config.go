package bench

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
)

// Config is what one run does. Defaults holds the values the command line
// starts from.
type Config struct {
	// DB runs oms in this process on a fresh database: "sqlite" (a file in a
	// temporary directory) or a postgres:// URL (a fresh schema in that
	// database). Empty with URL empty means "sqlite".
	DB string
	// URL drives a running oms instead; Key is an admin key of it.
	URL string
	Key string

	Clients  int           // concurrent clients in every phase
	Duration time.Duration // the measured order run, and the baseline
	Warmup   time.Duration // orders placed before the measurement, not counted
	Items    int           // items in the catalog
	Seed     uint64        // seeds the generated orders, so runs repeat
	Baseline bool          // measure the database ceiling first (in-process only)
	Settle   time.Duration // pause after the baseline, before the order run
	Preload  int           // orders placed before the timed run
	Lookups  int           // requests of each lookup kind
	// Webhooks is how many local receivers subscribe to every event while
	// the orders are placed (in-process only); -1: no dispatcher at all.
	Webhooks int
	// LookupClients is the concurrency of the lookup phase: lookups are
	// timed as a person's request on a busy server, not at saturation.
	LookupClients int
	Writers       int // order batches the in-process server runs at once (PostgreSQL); 0 is the store default
	// Servers is how many in-process oms servers share the one database
	// (PostgreSQL only); the order clients are spread across them.
	Servers    int
	SQLiteSync string // SQLite synchronous mode of the in-process server and the baseline ("" is the store default)
	JSON       bool   // print one JSON object instead of a table
	Keep       bool   // keep the temporary database
	// Terminal says stderr is a terminal: live progress is then a bar, else
	// a line every 5 seconds, and nothing with JSON.
	Terminal bool
}

// storeOptions are the database settings of the in-process server, which
// the baseline uses too.
func (c *Config) storeOptions() store.Options {
	return store.Options{Writers: c.Writers, SQLiteSync: c.SQLiteSync, Feed: reports.New()}
}

// Defaults returns the default configuration: in-process on SQLite.
func Defaults() Config {
	return Config{Clients: 32, Duration: 30 * time.Second, Warmup: 5 * time.Second, Items: 1000, Seed: 1,
		Lookups: 2000, LookupClients: 4, Settle: 10 * time.Second, Webhooks: -1, Servers: 1}
}

// inProcess reports whether the run starts its own oms.
func (c *Config) inProcess() bool { return c.URL == "" }

// Validate checks the configuration, naming each bad flag, and fills in the
// in-process database when neither --db nor --url is given.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case c.URL != "" && c.DB != "":
		bad("--url and --db exclude each other: drive a running oms, or start one")
	case c.URL != "":
		if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("--url must be an http:// or https:// URL, such as http://127.0.0.1:8080")
		}
		if c.Key == "" {
			bad("--url needs --key, an admin API key of that oms")
		}
		if c.Baseline {
			bad("--baseline measures the database in this process: use --db, not --url")
		}
	case c.DB == "":
		c.DB = "sqlite"
	case c.DB != "sqlite" && !store.IsPostgres(c.DB):
		bad("--db must be sqlite or a postgres:// URL: the tool makes a fresh database there")
	}
	if c.Clients < 1 || c.Clients > 10_000 {
		bad("--clients must be between 1 and 10000")
	}
	if c.Duration <= 0 {
		bad("--duration must be positive")
	}
	if c.Warmup < 0 {
		bad("--warmup must not be negative")
	}
	if c.Items < 1 || c.Items > 1_000_000 {
		bad("--items must be between 1 and 1000000")
	}
	if c.LookupClients < 1 {
		bad("--lookup-clients must be at least 1")
	}
	if c.Webhooks > 0 && !c.inProcess() {
		bad("--webhooks runs in-process only: drop --url")
	}
	if c.Webhooks > 1000 {
		bad("--webhooks must be at most 1000")
	}
	switch {
	case c.Servers < 1 || c.Servers > 16:
		bad("--servers must be between 1 and 16")
	case c.Servers > 1 && (!c.inProcess() || !store.IsPostgres(c.DB)):
		bad("--servers runs several oms servers on one PostgreSQL database in this process: use --db postgres://…")
	}
	if c.Preload < 0 || c.Lookups < 0 {
		bad("--preload and --lookups must not be negative")
	}
	return errors.Join(errs...)
}
