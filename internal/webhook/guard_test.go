package webhook

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func TestCheckAddr(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.255.255.254", // loopback
		"10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", // private
		"169.254.169.254", "169.254.0.1", // link-local, cloud metadata
		"100.64.0.1", "100.127.255.255", // carrier-grade NAT
		"0.0.0.0", "0.1.2.3", // unspecified, "this network"
		"224.0.0.1", "239.255.255.250", // multicast
		"255.255.255.255", "240.0.0.1", // broadcast, reserved
		"192.0.0.8", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", // reserved, test, benchmark
		"::1", "::", // loopback, unspecified
		"fe80::1", "fe80::1%eth0", // link-local, with a zone
		"fc00::1", "fd12:3456:789a::1", // unique-local
		"ff02::1", "ff0e::1", // multicast
		"fec0::1",                             // site-local
		"::ffff:127.0.0.1", "::ffff:10.1.2.3", // IPv4-mapped
		"::ffff:169.254.169.254", "::ffff:100.64.0.1", // IPv4-mapped metadata, CGNAT
		"::127.0.0.1",                           // IPv4-compatible
		"64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", // NAT64 of loopback, metadata
		"64:ff9b:1::1",                       // local NAT64
		"2002:7f00:1::1", "2002:c0a8:101::1", // 6to4 of loopback, private
		"2001:db8::1", "2001::1", "100::1", "3fff::1", // documentation, Teredo, discard
	}
	for _, s := range refused {
		err := CheckAddr(netip.MustParseAddr(s))
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("CheckAddr(%s) = %v, want refused", s, err)
		}
	}
	allowed := []string{
		"8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.0", "172.32.0.1", "169.253.255.255",
		"2606:4700:4700::1111", "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
	}
	for _, s := range allowed {
		if err := CheckAddr(netip.MustParseAddr(s)); err != nil {
			t.Errorf("CheckAddr(%s) = %v, want allowed", s, err)
		}
	}
	if err := CheckAddr(netip.Addr{}); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("CheckAddr(zero) = %v, want refused", err)
	}
}

func TestCheckAddrNamesTheRange(t *testing.T) {
	err := CheckAddr(netip.MustParseAddr("::ffff:169.254.169.254"))
	if err == nil || !strings.Contains(err.Error(), "169.254.169.254 is link-local") {
		t.Fatalf("error %v does not name the unmapped address and its range", err)
	}
}

// TestGuardControl checks the dial-time hook on the address a socket is
// about to connect to, whatever resolved it.
func TestGuardControl(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:80":          false,
		"[::1]:443":             false,
		"[::ffff:10.0.0.1]:443": false,
		"169.254.169.254:80":    false,
		"8.8.8.8:443":           true,
		"[2606:4700::1111]:443": true,
		"not an address":        false,
	} {
		if err := guardControl("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("guardControl(%s) = %v, want allowed %v", addr, err, ok)
		}
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.example.com/oms", false, true},
		{"http://hooks.example.com:8080/oms?x=1", false, true},
		{"https://8.8.8.8/hook", false, true},
		{"https://[2606:4700::1111]/hook", false, true},
		{"https://127.0.0.1/hook", false, false},
		{"https://[::1]:8443/hook", false, false},
		{"https://[::ffff:192.168.0.1]/hook", false, false},
		{"http://169.254.169.254/latest/meta-data/", false, false},
		{"http://localhost:9000/hook", false, false},
		{"http://LOCALHOST./hook", false, false},
		{"http://api.localhost/hook", false, false},
		{"http://localhost:9000/hook", true, true},
		{"http://127.0.0.1:9000/hook", true, true},
		{"ftp://hooks.example.com/", false, false},
		{"file:///etc/passwd", true, false},
		{"/relative/path", false, false},
		{"https://", false, false},
		{"https:///path", false, false},
		{"mailto:a@example.com", false, false},
		{"https://hooks.example.com/" + strings.Repeat("a", 2048), false, false},
		{"://bad", false, false},
	}
	for _, tt := range tests {
		err := CheckURL(tt.url, tt.allowPrivate)
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%q, %v) = %v, want ok %v", tt.url, tt.allowPrivate, err, tt.ok)
			continue
		}
		if err != nil && (oms.ErrorCode(err) != oms.EINVALID || !strings.Contains(err.Error(), "url")) {
			t.Errorf("CheckURL(%q): %v is not an invalid error naming url", tt.url, err)
		}
	}
}
