// Package bench is oms bench, the load tool: it measures how fast oms takes
// orders, and checks that it lost none while doing so.
//
// It drives a running oms over HTTP, or starts one in this process on a
// fresh SQLite file or PostgreSQL schema and drives that over real HTTP on
// 127.0.0.1, so one command measures what a client gets. A run goes through
// these phases, each in its own file:
//
//   - baseline.go: optionally, the raw transaction ceiling of the database
//     engine (MeasureCeiling) on a separate fresh database;
//   - setup.go: channels, locations, items and stock, set up over the API
//     from the Plan in plan.go (items ranked by a Zipf distribution, the
//     hottest with little stock so that they sell out);
//   - preload.go: optionally, many orders placed quickly, so lookups run
//     against a database of a realistic size;
//   - load.go: the timed run (after a warm-up) that produces orders/s and
//     latency percentiles (stats.go);
//   - lookup.go: reads by id, number, email and status;
//   - verify.go: the invariant check, and that every order acknowledged
//     with 201 exists with the lines and reservations its answer showed.
//
// report.go prints the figures as a table or one JSON object beside their
// targets. Run returns an error wrapping ErrVerification when an invariant
// is broken or an acknowledged order is missing or different; request
// errors are reported but do not fail the run.
package bench
