package webhook

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test vector of the Standard Webhooks reference libraries, copied
// exactly from github.com/standard-webhooks/standard-webhooks:
// libraries/go/webhook_test.go (TestWebhookSign), the same in
// libraries/python/tests/test_webhooks.py (test_sign_function) and
// libraries/javascript/src/webhook.test.ts ("sign function works").
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorUnix      = 1614265330
	vectorPayload   = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	// From the same files: a signature of another message (Go, JavaScript
	// "invalid signature") and the vector's with its last byte changed
	// (Python test_invalid_signature_raises_error).
	vectorOtherSig   = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
	vectorChangedSig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
)

func TestSignVector(t *testing.T) {
	got, err := Sign([]string{vectorSecret}, vectorID, time.Unix(vectorUnix, 0), []byte(vectorPayload))
	if err != nil {
		t.Fatal(err)
	}
	if got != vectorSignature {
		t.Fatalf("Sign = %s, want %s", got, vectorSignature)
	}
}

// header returns the three Standard Webhooks headers.
func header(id, ts, sig string) http.Header {
	h := http.Header{}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, sig)
	return h
}

// vectorHeader returns the headers of the vector message with the signature
// header set to sig.
func vectorHeader(sig string) http.Header {
	return header(vectorID, strconv.Itoa(vectorUnix), sig)
}

// TestVerify follows the reference libraries' verification cases on the
// vector, with the clock fixed instead of read.
func TestVerify(t *testing.T) {
	at := time.Unix(vectorUnix, 0)
	tests := []struct {
		name   string
		secret string
		header http.Header
		now    time.Time
		want   error
	}{
		{"valid", vectorSecret, vectorHeader(vectorSignature), at, nil},
		{"valid without the whsec_ prefix", strings.TrimPrefix(vectorSecret, SecretPrefix), vectorHeader(vectorSignature), at, nil},
		{"valid among others of other versions", vectorSecret,
			vectorHeader(vectorOtherSig + " v2," + vectorOtherSig[3:] + " " + vectorSignature + " " + vectorOtherSig), at, nil},
		{"another message's signature", vectorSecret, vectorHeader(vectorOtherSig), at, ErrNoMatch},
		{"one byte changed", vectorSecret, vectorHeader(vectorChangedSig), at, ErrNoMatch},
		{"partial signature", vectorSecret, vectorHeader("v1,"), at, ErrNoMatch},
		{"truncated signature", vectorSecret, vectorHeader(vectorSignature[:8]), at, ErrNoMatch},
		{"not base64", vectorSecret, vectorHeader("v1,dawfeoifkpqwoekfpqoekf"), at, ErrNoMatch},
		{"right signature, wrong version", vectorSecret, vectorHeader("v1a," + vectorSignature[3:]), at, ErrNoMatch},
		{"missing id", vectorSecret, without(vectorHeader(vectorSignature), HeaderID), at, ErrMissingHeaders},
		{"missing timestamp", vectorSecret, without(vectorHeader(vectorSignature), HeaderTimestamp), at, ErrMissingHeaders},
		{"missing signature", vectorSecret, without(vectorHeader(vectorSignature), HeaderSignature), at, ErrMissingHeaders},
		{"timestamp not a number", vectorSecret, with(vectorHeader(vectorSignature), HeaderTimestamp, "hello"), at, ErrBadTimestamp},
		{"at the edge of the tolerance, late", vectorSecret, vectorHeader(vectorSignature), at.Add(DefaultTolerance), nil},
		{"at the edge of the tolerance, early", vectorSecret, vectorHeader(vectorSignature), at.Add(-DefaultTolerance), nil},
		{"too old", vectorSecret, vectorHeader(vectorSignature), at.Add(DefaultTolerance + time.Second), ErrTooOld},
		{"too new", vectorSecret, vectorHeader(vectorSignature), at.Add(-DefaultTolerance - time.Second), ErrTooNew},
		{"another timestamp, same signature", vectorSecret, with(vectorHeader(vectorSignature), HeaderTimestamp, strconv.Itoa(vectorUnix+1)), at, ErrNoMatch},
		{"another id, same signature", vectorSecret, with(vectorHeader(vectorSignature), HeaderID, "msg_other"), at, ErrNoMatch},
		{"another secret", NewSecret(), vectorHeader(vectorSignature), at, ErrNoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.header, []byte(vectorPayload), tt.now, 0)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyBodyChanged(t *testing.T) {
	err := Verify(vectorSecret, vectorHeader(vectorSignature), []byte(`{"test":2432232314}`), time.Unix(vectorUnix, 0), 0)
	if !errors.Is(err, ErrNoMatch) {
		t.Fatalf("a re-serialized body verified: %v", err)
	}
}

func TestVerifyTolerance(t *testing.T) {
	now := time.Unix(vectorUnix, 0).Add(time.Hour)
	if err := Verify(vectorSecret, vectorHeader(vectorSignature), []byte(vectorPayload), now, 2*time.Hour); err != nil {
		t.Fatalf("within a 2 h tolerance: %v", err)
	}
	if err := Verify(vectorSecret, vectorHeader(vectorSignature), []byte(vectorPayload), now, 30*time.Minute); !errors.Is(err, ErrTooOld) {
		t.Fatalf("outside a 30 min tolerance: %v", err)
	}
}

// TestSignRotation: during a rotation's overlap a message carries one
// signature per secret, and a receiver with either secret accepts it.
func TestSignRotation(t *testing.T) {
	old, cur := NewSecret(), NewSecret()
	at := time.Unix(1700000000, 0)
	body := []byte(`{"type":"order.created"}`)
	sig, err := Sign([]string{cur, old}, "evt_1", at, body)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Split(sig, " ")); n != 2 {
		t.Fatalf("%d signatures in %q, want 2", n, sig)
	}
	h := header("evt_1", "1700000000", sig)
	for _, s := range []string{old, cur} {
		if err := Verify(s, h, body, at, 0); err != nil {
			t.Errorf("a receiver holding one of the secrets rejected the message: %v", err)
		}
	}
	if err := Verify(NewSecret(), h, body, at, 0); !errors.Is(err, ErrNoMatch) {
		t.Errorf("a third secret verified: %v", err)
	}
}

func TestNewSecret(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b {
		t.Fatal("two secrets are equal")
	}
	if !strings.HasPrefix(a, "whsec_") {
		t.Fatalf("%q lacks the whsec_ prefix", a)
	}
	key, err := ParseSecret(a)
	if err != nil || len(key) != 32 {
		t.Fatalf("ParseSecret(%q) = %d bytes, %v", a, len(key), err)
	}
}

func TestParseSecret(t *testing.T) {
	b64 := func(n int) string { return SecretPrefix + base64.StdEncoding.EncodeToString(make([]byte, n)) }
	tests := []struct {
		secret string
		ok     bool
	}{
		{vectorSecret, true},
		{b64(24), true},
		{b64(64), true},
		{b64(23), false},
		{b64(65), false},
		{"whsec_not base64!", false},
		{"whsec_", false},
		{"", false},
	}
	for _, tt := range tests {
		if _, err := ParseSecret(tt.secret); (err == nil) != tt.ok {
			t.Errorf("ParseSecret(%q) = %v, want ok %v", tt.secret, err, tt.ok)
		}
	}
}

func TestSignRefuses(t *testing.T) {
	at := time.Unix(vectorUnix, 0)
	tests := []struct {
		name    string
		secrets []string
		id      string
	}{
		{"no secret", nil, "evt_1"},
		{"a bad secret", []string{vectorSecret, "whsec_x"}, "evt_1"},
		{"empty id", []string{vectorSecret}, ""},
		{"full stop in the id", []string{vectorSecret}, "evt.1"},
		{"space in the id", []string{vectorSecret}, "evt 1"},
		{"newline in the id", []string{vectorSecret}, "evt\n1"},
	}
	for _, tt := range tests {
		if sig, err := Sign(tt.secrets, tt.id, at, nil); err == nil {
			t.Errorf("%s: Sign = %q, want an error", tt.name, sig)
		}
	}
}

// FuzzVerify: Verify never panics on any header, and a message Sign signed
// always verifies while another body never does.
func FuzzVerify(f *testing.F) {
	f.Add(vectorID, strconv.Itoa(vectorUnix), vectorSignature, []byte(vectorPayload))
	f.Add("x", "-9223372036854775808", "v1,", []byte{})
	f.Add("x", "9223372036854775807", "v1,a v1a,b ,, v1", []byte("{}"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		now := time.Unix(vectorUnix, 0)
		h := header(id, ts, sig)
		Verify(vectorSecret, h, body, now, 0)
		good, err := Sign([]string{vectorSecret}, id, now, body)
		if err != nil {
			return
		}
		h.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
		h.Set(HeaderSignature, sig+" "+good)
		if err := Verify(vectorSecret, h, body, now, 0); err != nil {
			t.Fatalf("a signed message did not verify: %v", err)
		}
		if err := Verify(vectorSecret, h, append(body, 'x'), now, 0); err == nil {
			t.Fatal("a changed body verified")
		}
	})
}

func without(h http.Header, key string) http.Header { h.Del(key); return h }

func with(h http.Header, key, value string) http.Header { h.Set(key, value); return h }
