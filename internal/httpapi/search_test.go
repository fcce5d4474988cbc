package httpapi_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSearchREADMEExample runs the search example of the README's
// "Customers and search", as the README writes it, over Ann Lee's order:
// the answer is what the README shows. Around it, the rule the README
// states: every word matches, the last one as a prefix from 3 characters.
func TestSearchREADMEExample(t *testing.T) {
	q, shown := readmeSearchExample(t)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("W-1001", `{"email":"ann@example.com","name":"Ann Lee"}`, 1, 1), 201).json(t, &o)
		var bo oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("W-1002", `{"email":"bo@example.com","name":"Bo Leeson"}`, 1, 2), 201).json(t, &bo)

		annLee := []string{"words:customer:" + h.customerID("ann@example.com"), "words:order:" + o.Number}

		var a struct {
			Query   string
			Results []oms.SearchResult
		}
		h.mustCall("GET", "/v1/search?q="+q, oms.RoleAgent, nil, 200).json(t, &a)
		var got []string
		for _, r := range a.Results {
			got = append(got, string(r.Match)+":"+r.Type)
		}
		if !slices.Equal(got, shown) || a.Query != strings.ReplaceAll(q, "%20", " ") {
			t.Errorf("the README's example q=%s answers %q %v, the README shows %v", q, a.Query, got, shown)
		}
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"Ann LEE", annLee},
			{"ann le", nil}, // "le" is too short to stand for the start of a word
			{"an lee", nil}, // only the last word is a prefix
			{"lee ann", annLee},
			{"ann leeso", nil},
			{"bo lee", []string{"prefix:customer:" + h.customerID("bo@example.com"), "prefix:order:" + bo.Number}},
		} {
			if got := hits(h.search(c.q, oms.RoleAgent)); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.q, got, c.want)
			}
		}
	})
}

// readmeSearchExample returns the query of the README's search example
// for words, and the match and type of each result it shows.
func readmeSearchExample(t *testing.T) (string, []string) {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "curl -s 'localhost:8080/v1/search?q=1Z999AA10123456784'")
	if !ok {
		t.Fatal("the README has no search example")
	}
	m := regexp.MustCompile(`search\?q=([^'&]+)' [^\n]*\n((?:#[^\n]*\n)+)`).FindStringSubmatch(after)
	if m == nil {
		t.Fatal("the README's search example has no answer")
	}
	var shown []string
	for _, r := range regexp.MustCompile(`"type":"(\w+)","match":"(\w+)"`).FindAllStringSubmatch(m[2], -1) {
		shown = append(shown, r[2]+":"+r[1])
	}
	return m[1], shown
}

// customerID returns the id of the customer with the email.
func (h *harness) customerID(email string) string {
	h.t.Helper()
	var c struct{ ID string }
	h.mustCall("GET", "/v1/customers/"+email, oms.RoleAgent, nil, 200).json(h.t, &c)
	return c.ID
}
