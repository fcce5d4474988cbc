package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/omshq/oms"
)

// ErrForbiddenAddress is wrapped by every refusal of the guard: the address
// is loopback, private or otherwise not on the public internet, and the
// operator did not allow such addresses.
var ErrForbiddenAddress = errors.New("webhook: address not allowed")

// forbidden lists the address ranges that are not on the public internet
// (IANA's IPv4 and IPv6 special-purpose address registries), with a word for
// the error. IPv4-mapped IPv6 addresses are unmapped before the check, and
// NAT64 and 6to4 addresses are checked by the IPv4 address they carry.
var forbidden = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (cloud metadata)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved for protocols"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (or broadcast)"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated)"},
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/23"), "reserved for protocols (Teredo, ORCHID …)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
	{netip.MustParsePrefix("5f00::/16"), "segment routing"},
	{netip.MustParsePrefix("fc00::/7"), "unique-local"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local (deprecated)"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

var (
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	sixToIV = netip.MustParsePrefix("2002::/16")
)

// CheckAddr returns nil when ip is a public unicast address, and an error
// wrapping ErrForbiddenAddress that names the range otherwise: loopback,
// private, link-local (169.254/16, where cloud metadata lives),
// unique-local, carrier-grade NAT (100.64/10), multicast, unspecified,
// documentation and reserved ranges, in IPv4 and IPv6, IPv4-mapped IPv6
// (::ffff:127.0.0.1) included.
func CheckAddr(ip netip.Addr) error {
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() {
		return fmt.Errorf("%w: no address", ErrForbiddenAddress)
	}
	if nat64.Contains(ip) || sixToIV.Contains(ip) {
		if err := CheckAddr(embeddedIPv4(ip)); err != nil {
			return fmt.Errorf("%w (%s carries it)", err, ip)
		}
	}
	for _, f := range forbidden {
		if f.prefix.Contains(ip) {
			return fmt.Errorf("%w: %s is %s", ErrForbiddenAddress, ip, f.what)
		}
	}
	return nil
}

// embeddedIPv4 is the IPv4 address a NAT64 (last 32 bits) or 6to4 (bits
// 16–47) address carries.
func embeddedIPv4(ip netip.Addr) netip.Addr {
	b := ip.As16()
	if sixToIV.Contains(ip) {
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
}

// maxURLLength bounds an endpoint URL.
const maxURLLength = 2048

// CheckURL validates an endpoint URL when it is saved: absolute http or
// https, with a host, at most 2048 bytes. Unless allowPrivate, a host that is
// an IP literal must pass CheckAddr and "localhost" names are refused. A
// host name is checked again, after DNS, each time it is dialled. It
// returns an EINVALID *oms.Error naming the field "url".
func CheckURL(raw string, allowPrivate bool) error {
	if len(raw) > maxURLLength {
		return oms.Invalid("url", "must be at most %d bytes", maxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return oms.Invalid("url", "must be an absolute http or https URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return oms.Invalid("url", "scheme must be http or https, not %q", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return oms.Invalid("url", "must name a host")
	}
	if allowPrivate {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if err := CheckAddr(ip); err != nil {
			return oms.Invalid("url", "%s is not on the public internet; the server must be started with --webhooks-allow-private to deliver there", ip)
		}
	}
	if h := strings.TrimSuffix(strings.ToLower(host), "."); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return oms.Invalid("url", "localhost is not on the public internet; the server must be started with --webhooks-allow-private to deliver there")
	}
	return nil
}

// Resolver looks up the addresses of a host; *net.Resolver is one. Tests
// pass one that answers what they need.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// HTTPOptions configures NewHTTPClient.
type HTTPOptions struct {
	// AllowPrivate lets requests reach loopback and private addresses:
	// for receivers on the same host or network, and tests.
	AllowPrivate bool
	// Timeout bounds a whole request, from dialling to the end of the
	// response headers and the body read; zero means DefaultTimeout.
	Timeout time.Duration
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
}

// DefaultTimeout is the per-request timeout; the specification recommends
// 15 to 30 s, enough for a receiver to process and acknowledge.
const DefaultTimeout = 15 * time.Second

// NewHTTPClient returns an HTTP client for outbound webhook calls that
// cannot be turned against the server's own network:
//   - every address is checked by CheckAddr when its socket is dialled,
//     after DNS resolution (net.Dialer.Control), so neither a host name that
//     resolves to a private address nor DNS rebinding between a check and
//     the connection gets through; AllowPrivate turns the check off;
//   - no redirect is followed: a 3xx answer is returned as it is, and
//     Classify calls it a failure (the specification's advice), so a
//     redirect can never lead to a private address;
//   - no proxy from the environment, whose address would be dialled instead;
//   - a timeout on the whole request, a bound on the response headers, and a
//     TLS handshake timeout.
func NewHTTPClient(o HTTPOptions) *http.Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	d := &dialer{resolver: o.Resolver, net: net.Dialer{Timeout: o.Timeout}}
	if !o.AllowPrivate {
		d.net.Control = guardControl
	}
	return &http.Client{
		Timeout: o.Timeout,
		Transport: &http.Transport{
			Proxy:                  nil,
			DialContext:            d.dial,
			ForceAttemptHTTP2:      true,
			TLSHandshakeTimeout:    10 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
			IdleConnTimeout:        90 * time.Second,
			MaxIdleConnsPerHost:    4,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// guardControl refuses a socket about to connect to a forbidden address. It
// runs for the address actually dialled, whatever resolved it.
func guardControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read %q", ErrForbiddenAddress, address)
	}
	return CheckAddr(ap.Addr())
}

// dialer resolves a host itself, through the injected Resolver, and dials
// its addresses one after the other; net.Dialer.Control guards each.
type dialer struct {
	resolver Resolver
	net      net.Dialer
}

func (d *dialer) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return d.net.DialContext(ctx, network, address)
	}
	ips, err := d.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("webhook: %s has no address", host)
	}
	var first error
	for _, ip := range ips {
		conn, err := d.net.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}
