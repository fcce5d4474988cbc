package paging

import (
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/omshq/oms"
)

// TestParams: a cursor the API wrote reads back as its position; a limit
// out of bounds, a cursor it never wrote and a malformed query are
// EINVALID naming the parameter.
func TestParams(t *testing.T) {
	r := httptest.NewRequest("GET", "/v1/returns?limit=3&after="+*Cursor(1234), nil)
	if limit, after, err := Params(r); err != nil || limit != 3 || after != 1234 {
		t.Errorf("Params = %d, %d, %v", limit, after, err)
	}
	if limit, after, err := Params(httptest.NewRequest("GET", "/v1/returns", nil)); err != nil || limit != DefaultLimit || after != 0 {
		t.Errorf("no parameters: %d, %d, %v", limit, after, err)
	}
	for q, field := range map[string]string{"limit=0": "limit", "limit=201": "limit", "after=MTIz%21": "after",
		"after=" + *SKUCursor("A"): "after", "a=%zz": "query"} {
		_, _, err := Params(httptest.NewRequest("GET", "/v1/returns?"+q, nil))
		var e *oms.Error
		if oms.ErrorCode(err) != oms.EINVALID || !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != field {
			t.Errorf("%s: %v, want EINVALID naming %s", q, err, field)
		}
	}
}

// TestSKUList: the SKU cursor holds the last SKU; a prefix with a control
// character is refused; no SKU is no cursor.
func TestSKUList(t *testing.T) {
	_, limit, after, err := SKUList(httptest.NewRequest("GET", "/v1/items?limit=2&after="+*SKUCursor("TEE-BLK-M"), nil))
	if err != nil || limit != 2 || after != "TEE-BLK-M" {
		t.Errorf("SKUList = %d, %q, %v", limit, after, err)
	}
	if _, _, _, err := SKUList(httptest.NewRequest("GET", "/v1/items?sku_prefix=A%07", nil)); oms.ErrorCode(err) != oms.EINVALID {
		t.Errorf("control character in the prefix: %v", err)
	}
	if SKUCursor("") != nil {
		t.Error("a cursor for no SKU")
	}
}

// TestOf: one more item than the limit is a next page, its cursor the last
// item's position; fewer is the last page, never null.
func TestOf(t *testing.T) {
	pos := func(n int) int64 { return int64(n) }
	page, next := Of([]int{10, 20, 30}, 2, pos)
	if !slices.Equal(page, []int{10, 20}) || next == nil || *next != *Cursor(20) {
		t.Errorf("Of = %v, %v", page, next)
	}
	if page, next := Of[int](nil, 2, pos); page == nil || len(page) != 0 || next != nil {
		t.Errorf("empty: %v, %v", page, next)
	}
}
