package stream

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

var at = time.Date(2026, 3, 4, 5, 6, 7, 890000000, time.FixedZone("CET", 3600))

func TestMessage(t *testing.T) {
	e := Event{ID: "01HX", Type: "order.created", Time: at, Data: json.RawMessage(`{ "number": "W-1", "total": 2999 }`), OrderID: "ord_1"}
	m, err := message("oms", e)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "oms.order.created" {
		t.Errorf("subject %q", m.Subject)
	}
	want := `{"id":"01HX","type":"order.created","timestamp":"2026-03-04T04:06:07.89Z","data":{"number":"W-1","total":2999}}`
	if string(m.Data) != want {
		t.Errorf("body\n got %s\nwant %s", m.Data, want)
	}
	for k, v := range map[string]string{
		jetstream.MsgIDHeader: "01HX", HeaderEventID: "01HX", HeaderEventType: "order.created",
		HeaderOrderID: "ord_1", "Content-Type": "application/json",
	} {
		if got := m.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}

	e.OrderID, e.Data = "", nil
	m, err = message("test.oms", e)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Header[HeaderOrderID]; ok {
		t.Error("an event without an order has an order header")
	}
	if !strings.HasSuffix(string(m.Data), `"data":{}}`) || m.Subject != "test.oms.order.created" {
		t.Errorf("nil data: %s on %s", m.Data, m.Subject)
	}
}

func TestMessageRefusesWhatCannotBePublished(t *testing.T) {
	good := Event{ID: "e1", Type: "order.created", Time: at, Data: json.RawMessage(`{}`)}
	for name, edit := range map[string]func(*Event){
		"no id":               func(e *Event) { e.ID = "" },
		"space in id":         func(e *Event) { e.ID = "e 1" },
		"newline in id":       func(e *Event) { e.ID = "e1\r\nX-Evil: 1" },
		"newline in order id": func(e *Event) { e.OrderID = "o1\n" },
		"no type":             func(e *Event) { e.Type = "" },
		"wildcard type":       func(e *Event) { e.Type = "order.*" },
		"tail wildcard type":  func(e *Event) { e.Type = "order.>" },
		"empty token":         func(e *Event) { e.Type = "order..created" },
		"space in type":       func(e *Event) { e.Type = "order created" },
		"no time":             func(e *Event) { e.Time = time.Time{} },
		"array data":          func(e *Event) { e.Data = json.RawMessage(`[1]`) },
		"broken data":         func(e *Event) { e.Data = json.RawMessage(`{"a":`) },
	} {
		t.Run(name, func(t *testing.T) {
			e := good
			edit(&e)
			if _, err := message("oms", e); !errors.Is(err, ErrUnpublishable) {
				t.Errorf("err = %v, want ErrUnpublishable", err)
			}
		})
	}
	if _, err := message("oms", good); err != nil {
		t.Errorf("the good event: %v", err)
	}
}

func TestConfig(t *testing.T) {
	c := Config{URL: "nats://127.0.0.1:4222"}.withDefaults()
	if err := c.validate(); err != nil {
		t.Fatal(err)
	}
	sc := c.streamConfig()
	if sc.Name != "OMS" || len(sc.Subjects) != 1 || sc.Subjects[0] != "oms.>" ||
		sc.Storage != jetstream.FileStorage || sc.Duplicates != 2*time.Minute || sc.MaxAge != 0 {
		t.Errorf("default stream config %+v", sc)
	}
	for name, c := range map[string]Config{
		"no url":             {},
		"dotted stream name": {URL: "x", Stream: "A.B"},
		"wildcard prefix":    {URL: "x", SubjectPrefix: "oms.*"},
		"window past age":    {URL: "x", Duplicates: time.Hour, MaxAge: time.Minute},
		"negative":           {URL: "x", AckTimeout: -1},
	} {
		if err := c.withDefaults().validate(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
