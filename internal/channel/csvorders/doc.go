// Package csvorders reads orders from a CSV file in one documented format,
// for any channel that can export or be typed into a spreadsheet: one row per
// order line, the rows of one order one after another.
//
// # Columns
//
// The first row is a header naming the columns, in any order; names are
// matched without regard to case or surrounding spaces. A column not listed
// here is an error naming it, as is a column named twice or a required one
// missing. Values are trimmed of surrounding spaces, and a line break inside
// a quoted value (an address typed over two lines of a cell) becomes one
// space.
//
//	name              required  meaning                                                  example
//	order_id          yes       the channel's order id, kept exactly as written          1001
//	placed_at         yes (o)   when the order was placed, RFC 3339 with an offset       2025-11-14T09:30:00+01:00
//	currency          yes (o)   ISO 4217 code of every amount of the order               EUR
//	email             no (o)    the customer's email address                             ana@example.com
//	name              no (o)    the customer's name                                      Ana Souza
//	phone             no (o)    the customer's phone number                              +351 912 345 678
//	ship_name         no (o)    the recipient's name                                     Ana Souza
//	ship_line1        (a)       first address line                                       Rua das Flores 12
//	ship_line2        no (o)    second address line                                      3º esq.
//	ship_city         (a)       city                                                     Lisboa
//	ship_region       no (o)    state, province or region                                Lisboa
//	ship_postal_code  no (o)    postal code                                              1200-195
//	ship_country      (a)       ISO 3166-1 alpha-2 country code                          PT
//	sku               yes       the channel's listing SKU of the line                    TSHIRT-M-BLK
//	quantity          yes       units on the line, a whole number from 1 to 1000000      3
//	unit_price        yes       price of one unit before discount                        19.99 (1999 for JPY)
//	line_discount     no        the line's whole discount, a positive amount             5.00
//	line_tax          no        the line's tax (inside the price when taxes_included)    4.95
//	shipping          no (o)    the order's shipping, after any shipping discount        4.90
//	shipping_tax      no (o)    tax on shipping                                          0.40
//	taxes_included    no (o)    true when prices and shipping include their tax          false
//	status            no (o)    the channel's order status; cancelled or canceled        cancelled
//	                            marks the order cancelled
//	updated_at        no (o)    when the order last changed, RFC 3339; absent: rows      2025-11-14T10:02:00Z
//	                            that differ from those kept apply as they arrive
//
// (o) marks an order-level column: its value is read from the order's first
// row, and the order's later rows must leave it empty or repeat the same
// text. A required order-level value is required on the first row. (a): the
// shipping address is optional, but when any ship_ column has a value,
// ship_line1, ship_city and ship_country are required.
//
// Amounts are decimal strings in the order's currency, read with money.Parse:
// at most as many decimals as the currency has ("19.99" USD, "1999" JPY,
// "1.250" KWD), never rounded, never negative. Empty optional amounts are 0.
// taxes_included is true or false (any case) and empty means false.
//
// Rows of one order must be consecutive: an order_id that comes back after
// another order's rows is an error on the later rows (the order read from
// the first rows has already been returned; the reader cannot take it back). Rows whose fields are all empty
// are skipped. The CSV states no separate totals, so Ingested.Stated holds
// the totals computed from the rows, and always reconciles.
//
// An order whose line_tax cells and shipping_tax cell are all empty gives no
// tax: its draft has ComputeTax set, so that oms computes the tax from its
// tax rules for the destination, and Ingested.Stated is left zero (nothing
// to reconcile). A tax of 0 in any of those cells is a tax given, and kept.
//
// The file may start with a UTF-8 byte-order mark, end its lines with CRLF
// and quote fields as RFC 4180 does (a quoted field may hold commas, quotes
// written "" and line breaks).
//
// # Errors and positions
//
// Reader.Next returns one order at a time with its Position: the first and
// last file lines of its rows, 1-based, the header being line 1, so that an
// importer can report each problem by file and line. A problem is an
// *oms.Error with code EINVALID whose Fields name
//
//	row[N].column  the value of column on file line N, such as row[7].quantity;
//	row[N]         a whole row that cannot be read (bad quoting, a wrong
//	               number of fields);
//	header         a problem with the header row;
//
// and whose messages start with "line N" and name the column, such as
// "line 7: quantity must be a whole number from 1 to 1000000". N is the line
// on which the field starts, the same as the row's unless a quoted field
// before it spans lines. The problems of an order are listed in line order,
// every one found: a value that does not parse and what oms validation
// (oms.OrderDraft.Validate) says of the rest.
//
// After an invalid order Next goes on with the next order: it resynchronises
// on the next row whose order_id differs. A row that cannot be read, or has
// no order_id, belongs to no order it can be trusted for, so it invalidates the order it sits in
// and, when it is the last row before another order, that order too (it
// might have been that order's first row): nothing is imported that might
// be missing a line. An order has at most oms.MaxLines rows.
package csvorders
