// Package reports answers the API's report routes — sales, margin,
// fulfillment and returns over orders; inventory, turnover and stockouts
// over stock — and the report settings. Its routes are written whole, with
// their OpenAPI prose beside them, as JSON or CSV answers of one shape
// (oms.Report).
package reports
