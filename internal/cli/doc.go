// Package cli is the oms command line: it parses flags, wires the store, the
// API and the logger together, and runs the subcommands of the table in
// commands (serve, migrate, demo, check, import, export, fx, apikey,
// reports, bench, version, help). It is the only package that knows every
// other one.
package cli
