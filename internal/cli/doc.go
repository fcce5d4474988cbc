// Package cli is the oms command line: it parses flags, wires the store, the
// API and the logger together, and runs the subcommands (serve, migrate,
// apikey, check). It is the only package that knows every other one.
package cli
