package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/omshq/oms"
)

// client is the one HTTP client every worker shares: keep-alive on, and as
// many idle connections to the server as there are workers.
type client struct {
	hc   *http.Client
	base string
}

func newClient(base string, clients int) *client {
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        clients + 8,
		MaxIdleConnsPerHost: clients,
		IdleConnTimeout:     90 * time.Second,
	}
	return &client{hc: &http.Client{Transport: tr, Timeout: time.Minute}, base: strings.TrimRight(base, "/")}
}

// do sends one request with the bearer key and returns the status and the
// whole body; the body is always read and closed, so the connection is
// reused.
func (c *client) do(ctx context.Context, method, path, key string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// call sends v as JSON (nil: no body), expects one of the statuses and
// decodes the answer into out (nil: ignore it).
func (c *client) call(ctx context.Context, method, path, key string, v, out any, statuses ...int) error {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return err
		}
	}
	status, b, err := c.do(ctx, method, path, key, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	for _, s := range statuses {
		if s == status {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(b, out); err != nil {
				return fmt.Errorf("%s %s: decode the answer: %w", method, path, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%s %s: %d %s", method, path, status, clip(b))
}

func (c *client) close() { c.hc.CloseIdleConnections() }

// outcome is what became of one order request.
type outcome int

const (
	accepted   outcome = iota // 201: a new order
	duplicate                 // 200: the channel had sent this external id before
	outOfStock                // 409 out_of_stock: refused, nothing written
	failed                    // anything else, transport errors included
)

// classify sorts an answer to POST /v1/orders by its status and problem code.
func classify(status int, body []byte) outcome {
	switch status {
	case http.StatusCreated:
		return accepted
	case http.StatusOK:
		return duplicate
	case http.StatusConflict:
		var p struct {
			Code string `json:"code"`
		}
		if json.Unmarshal(body, &p) == nil && p.Code == oms.EOUTOFSTOCK {
			return outOfStock
		}
	}
	return failed
}

// samples keeps the first few distinct error answers, to show what went
// wrong without flooding the report; it counts the rest.
type samples struct {
	mu   sync.Mutex
	list []string
}

const maxSamples = 5

func (s *samples) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) >= maxSamples {
		return
	}
	for _, m := range s.list {
		if m == msg {
			return
		}
	}
	s.list = append(s.list, msg)
}

func (s *samples) get() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string{}, s.list...)
}

// failure describes a failed request for the samples.
func failure(what string, status int, body []byte, err error) string {
	if err != nil {
		return fmt.Sprintf("%s: %v", what, err)
	}
	return fmt.Sprintf("%s: %d %s", what, status, clip(body))
}

// clip shortens a body for a message.
func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
