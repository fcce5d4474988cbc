// Package payload holds what the channel adapters (shopify, woocommerce,
// amazon, ebay) share in reading a channel's JSON: decoding into EINVALID
// errors that name the bad field by its JSON path, integers read exactly
// (never through a float), amounts in minor units, timestamps, and the text
// and notes an adapter writes into an oms.Ingested.
//
// Each function keeps the exact field paths and messages of the adapters
// that use it: where two channels word a problem differently, there are two
// functions, and each says which wording it has. What is a channel's own —
// its JSON shapes, which amount it reads, its stated totals — stays in the
// adapter's package.
//
// Everything here is pure, and money is read with package money, never as a
// float.
package payload
