package decode

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCheckJSONShapes checks the walk against the shapes of the other
// request types: maps, Go integers, nested slices, values kept whole.
func TestCheckJSONShapes(t *testing.T) {
	type inner struct {
		N int8 `json:"n"`
	}
	type target struct {
		Limits  map[string]int64  `json:"limits"`
		ByID    map[int]string    `json:"by_id"`
		Count   uint16            `json:"count"`
		Ratio   float32           `json:"ratio"`
		Rows    [][]inner         `json:"rows"`
		Raw     json.RawMessage   `json:"raw"`
		Any     any               `json:"any"`
		Amounts []Int             `json:"amounts"`
		Tags    map[string]string `json:"tags"`
	}
	cases := []struct {
		name string
		body string
		want []string
	}{
		{"good", `{"limits":{"USD":5},"by_id":{"-3":"x"},"count":65535,"ratio":0.5,"rows":[[{"n":-128}]],
			"raw":{"a":[1,{"b":null}]},"any":[true],"amounts":[1,-2],"tags":{"a.b":"c"}}`, nil},
		{"map values", `{"limits":{"USD":"5","EUR":1.5}}`,
			[]string{"limits.USD: must be an integer, not a string", "limits.EUR: must be an integer"}},
		{"integer keys", `{"by_id":{"x":"y"}}`, []string{"by_id.x: must be an integer, as the object's keys are"}},
		{"ranges", `{"count":65536,"ratio":1e39,"rows":[[{"n":128}],[{},{"n":-129}]]}`,
			[]string{"count: must be an integer from 0 to 65535", "ratio: is out of range",
				"rows[0][0].n: must be an integer from -128 to 127", "rows[1][1].n: must be an integer from -128 to 127"}},
		{"duplicates anywhere", `{"raw":{"a":1,"a":2},"any":[{"x":1,"x":1}],"tags":{"k":"1","k":"2"}}`,
			[]string{"raw.a: is given more than once", "any[0].x: is given more than once", "tags.k: is given more than once"}},
		{"many keys, one twice", `{"tags":{` + manyKeys(40) + `,"k7":"again"}}`, []string{"tags.k7: is given more than once"}},
		{"odd keys are quoted", `{"tags":{"a b":1}}`, []string{`tags["a b"]: must be a string, not a number`}},
		{"Ints alone are left to the handler", `{"amounts":[1.5,"2",{}]}`, nil},
		{"Ints beside another problem", `{"amounts":[1.5,"2",{}],"count":-1}`,
			[]string{"amounts[0]: must be a whole number (amounts are integers in minor units, e.g. 1999 for 19.99)",
				"amounts[1]: must be a JSON integer, not a string", "amounts[2]: must be an integer",
				"count: must be an integer from 0 to 65535"}},
	}
	s := shapeOf(reflect.TypeFor[target]())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			problems, err := checkJSON([]byte(c.body), s)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range problems {
				got = append(got, f.Field+": "+f.Message)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if len(c.want) == 0 {
				var v target
				if err := unmarshal([]byte(c.body), &v); err != nil {
					t.Errorf("the walk passes what encoding/json refuses: %v", err)
				}
			}
		})
	}
}

func manyKeys(n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = `"k` + strings.Repeat("x", i%3) + string(rune('0'+i/10)) + string(rune('0'+i%10)) + `":"v"`
	}
	keys = append(keys, `"k7":"v"`)
	return strings.Join(keys, ",")
}

// TestJSONFields compares the fields the walk knows with those
// encoding/json decodes, over embedded structs that promote, hide and tie.
func TestJSONFields(t *testing.T) {
	type Base struct {
		ID   string `json:"id"`
		Name string
		Tie  int
	}
	type Other struct {
		Tie   int    // ties with Base.Tie: neither is decoded
		Named string `json:"Name"` // tagged: beats Base.Name at the same depth
	}
	type deep struct{ Deep bool }
	type Mid struct{ deep }
	type target struct {
		Base
		*Other
		Mid
		Own     string `json:"own,omitempty"`
		Skip    string `json:"-"`
		Dash    string `json:"-,"`
		private string
		Quoted  int `json:"quoted,string"`
	}
	var got []string
	for _, f := range jsonFields(reflect.TypeFor[target]()) {
		got = append(got, f.name)
	}
	want := []string{"id", "Name", "Deep", "own", "-", "quoted"}
	if !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	s := shapeOf(reflect.TypeFor[target]())
	for _, key := range []string{"id", "Name", "Tie", "Deep", "own", "Skip", "-", "private", "quoted"} {
		body := []byte(`{"` + key + `":null}`)
		problems, _ := checkJSON(body, s)
		var v target
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		jsonKnows := dec.Decode(&v) == nil
		if walkKnows := len(problems) == 0; walkKnows != jsonKnows {
			t.Errorf("%s: the walk knows it %v, encoding/json %v", key, walkKnows, jsonKnows)
		}
	}
	if f := s.fields["Name"]; f == nil || f.index != 1 || jsonFields(reflect.TypeFor[target]())[1].index[0] != 1 {
		t.Errorf("Name is not Other's tagged field")
	}
	// encoding/json matches "NAME" to the field "Name" without regard to
	// case; the walk does not.
	if problems, _ := checkJSON([]byte(`{"NAME":"x"}`), s); len(problems) != 1 {
		t.Errorf("NAME: %v", problems)
	}
}
