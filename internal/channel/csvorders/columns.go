package csvorders

// The columns of the format; doc.go describes each.
const (
	colOrderID       = "order_id"
	colPlacedAt      = "placed_at"
	colCurrency      = "currency"
	colEmail         = "email"
	colName          = "name"
	colPhone         = "phone"
	colShipName      = "ship_name"
	colShipLine1     = "ship_line1"
	colShipLine2     = "ship_line2"
	colShipCity      = "ship_city"
	colShipRegion    = "ship_region"
	colShipPostal    = "ship_postal_code"
	colShipCountry   = "ship_country"
	colSKU           = "sku"
	colQuantity      = "quantity"
	colUnitPrice     = "unit_price"
	colLineDiscount  = "line_discount"
	colLineTax       = "line_tax"
	colShipping      = "shipping"
	colShippingTax   = "shipping_tax"
	colTaxesIncluded = "taxes_included"
	colStatus        = "status"
	colUpdatedAt     = "updated_at"
)

// column is one column of the format.
type column struct {
	name     string
	required bool // the header must name it and every order give it
	order    bool // order-level: read from the order's first row
}

// columns lists the format in the order doc.go's table does.
var columns = []column{
	{colOrderID, true, false},
	{colPlacedAt, true, true},
	{colCurrency, true, true},
	{colEmail, false, true},
	{colName, false, true},
	{colPhone, false, true},
	{colShipName, false, true},
	{colShipLine1, false, true},
	{colShipLine2, false, true},
	{colShipCity, false, true},
	{colShipRegion, false, true},
	{colShipPostal, false, true},
	{colShipCountry, false, true},
	{colSKU, true, false},
	{colQuantity, true, false},
	{colUnitPrice, true, false},
	{colLineDiscount, false, false},
	{colLineTax, false, false},
	{colShipping, false, true},
	{colShippingTax, false, true},
	{colTaxesIncluded, false, true},
	{colStatus, false, true},
	{colUpdatedAt, false, true},
}

// shipColumns are the address columns, by the oms.Address field each fills
// (as oms.OrderDraft.Validate names it under "ship_to.").
var shipColumns = map[string]string{
	"name": colShipName, "line1": colShipLine1, "line2": colShipLine2, "city": colShipCity,
	"region": colShipRegion, "postal_code": colShipPostal, "country": colShipCountry,
}

// lineColumns are the line columns by the oms.LineDraft field each fills (as
// Validate names it under "lines[i].").
var lineColumns = map[string]string{
	"sku": colSKU, "title": colSKU, "quantity": colQuantity, "unit_price": colUnitPrice,
	"subtotal": colUnitPrice, "discount": colLineDiscount, "tax": colLineTax,
}

// orderColumns are the other order-level fields by Validate's name for them.
var orderColumns = map[string]string{
	"external_id": colOrderID, "currency": colCurrency, "placed_at": colPlacedAt,
	"customer.email": colEmail, "customer.name": colName, "customer.phone": colPhone,
	"shipping_price": colShipping, "shipping_tax": colShippingTax,
}
