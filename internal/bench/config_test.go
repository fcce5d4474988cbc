package bench

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // a part of the error; "" for none
		db     string // the DB after Validate, when no error
	}{
		{"defaults run sqlite in-process", func(*Config) {}, "", "sqlite"},
		{"postgres URL", func(c *Config) { c.DB = "postgres://u@h/db" }, "", "postgres://u@h/db"},
		{"a file path is refused", func(c *Config) { c.DB = "./oms.db" }, "--db must be sqlite or a postgres:// URL", ""},
		{"url with key", func(c *Config) { c.URL, c.Key = "http://127.0.0.1:8080", "oms_x" }, "", ""},
		{"url without key", func(c *Config) { c.URL = "http://127.0.0.1:8080" }, "--url needs --key", ""},
		{"url not http", func(c *Config) { c.URL, c.Key = "127.0.0.1:8080", "k" }, "--url must be an http", ""},
		{"url and db", func(c *Config) { c.URL, c.Key, c.DB = "http://h", "k", "sqlite" }, "exclude each other", ""},
		{"baseline over url", func(c *Config) { c.URL, c.Key, c.Baseline = "http://h", "k", true }, "--baseline", ""},
		{"no clients", func(c *Config) { c.Clients = 0 }, "--clients", ""},
		{"no duration", func(c *Config) { c.Duration = 0 }, "--duration", ""},
		{"negative warm-up", func(c *Config) { c.Warmup = -time.Second }, "--warmup", ""},
		{"no warm-up is fine", func(c *Config) { c.Warmup = 0 }, "", "sqlite"},
		{"no items", func(c *Config) { c.Items = 0 }, "--items", ""},
		{"negative preload", func(c *Config) { c.Preload = -1 }, "--preload", ""},
		{"two servers on postgres", func(c *Config) { c.DB, c.Servers = "postgres://u@h/db", 2 }, "", "postgres://u@h/db"},
		{"two servers on sqlite", func(c *Config) { c.Servers = 2 }, "--servers runs several oms servers on one PostgreSQL", ""},
		{"two servers over url", func(c *Config) { c.URL, c.Key, c.Servers = "http://h", "k", 2 }, "--servers", ""},
		{"no servers", func(c *Config) { c.Servers = 0 }, "--servers must be between 1 and 16", ""},
		{"every problem at once", func(c *Config) { c.Clients, c.Items = 0, 0 }, "--items", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Defaults()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate = %v, want an error mentioning %q", err, tt.want)
			case tt.want == "" && c.DB != tt.db:
				t.Errorf("DB = %q, want %q", c.DB, tt.db)
			}
		})
	}
}
