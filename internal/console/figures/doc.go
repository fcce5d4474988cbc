// Package figures formats the console's numbers — amounts in their
// currency, thousands grouped — and lays out reports as the Reports
// screens show them: the reports the console offers, a report's table,
// and its chart, whose money is summed exactly in minor units before it is
// drawn.
package figures
