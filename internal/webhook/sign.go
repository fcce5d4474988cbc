package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of the Standard Webhooks specification. HTTP header names are
// case-insensitive; the specification writes them in lower case.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix marks a symmetric signing secret, as the specification
// serializes it: "whsec_" followed by the standard base64 of the key.
const SecretPrefix = "whsec_"

// Key sizes the specification allows for a symmetric secret, in bytes, and
// the size NewSecret draws.
const (
	MinSecretBytes = 24
	MaxSecretBytes = 64
	newSecretBytes = 32
)

// DefaultTolerance is how far a webhook-timestamp may be from the receiver's
// clock, either way, before Verify rejects the message as a possible replay.
const DefaultTolerance = 5 * time.Minute

// Errors Verify returns. They say why a message was rejected; a receiver
// should answer each one the same way (a 4xx), never say which to the sender.
var (
	ErrMissingHeaders = errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature")
	ErrBadTimestamp   = errors.New("webhook: webhook-timestamp is not unix seconds")
	ErrTooOld         = errors.New("webhook: webhook-timestamp is too old")
	ErrTooNew         = errors.New("webhook: webhook-timestamp is too new")
	ErrNoMatch        = errors.New("webhook: no signature matches")
)

// NewSecret returns a new random signing secret: "whsec_" and the base64 of
// 32 bytes from crypto/rand.
func NewSecret() string {
	key := make([]byte, newSecretBytes)
	rand.Read(key) // never fails: crypto/rand crashes the program rather than return short
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// ParseSecret returns the key of a "whsec_…" secret. The prefix may be left
// out, as the reference libraries allow. It fails when the rest is not
// standard base64 or the key is shorter than MinSecretBytes or longer than
// MaxSecretBytes.
func ParseSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil {
		return nil, errors.New("webhook: the secret is not base64")
	}
	if len(key) < MinSecretBytes || len(key) > MaxSecretBytes {
		return nil, fmt.Errorf("webhook: the secret has %d bytes; it needs %d to %d", len(key), MinSecretBytes, MaxSecretBytes)
	}
	return key, nil
}

// Sign returns the webhook-signature header value for a message: one
// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" per secret, separated by
// spaces, in the order given. An endpoint whose secret was rotated passes
// both the new and the old secret until the overlap ends, so a receiver
// holding either one accepts the message. It fails when no secret is given,
// a secret does not parse (see ParseSecret) or the id is not a valid
// webhook-id (see checkID).
func Sign(secrets []string, id string, ts time.Time, body []byte) (string, error) {
	if len(secrets) == 0 {
		return "", errors.New("webhook: no signing secret")
	}
	if err := checkID(id); err != nil {
		return "", err
	}
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		key, err := ParseSecret(s)
		if err != nil {
			return "", err
		}
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body))
	}
	return strings.Join(sigs, " "), nil
}

// mac is the HMAC-SHA256 of "id.timestamp.body" under key: the content the
// specification signs.
func mac(key []byte, id string, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(nil, unix, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// checkID rejects a webhook-id that could make two signed contents equal: the
// specification forbids a full stop in it. Spaces and control characters are
// refused too, as they cannot travel in a header.
func checkID(id string) error {
	if id == "" {
		return errors.New("webhook: the message id is empty")
	}
	if i := strings.IndexFunc(id, func(r rune) bool { return r == '.' || r <= ' ' || r == 0x7f }); i >= 0 {
		return fmt.Errorf("webhook: the message id %q holds a full stop, a space or a control character", id)
	}
	return nil
}

// Verify checks a received message the way a receiver must: the three
// headers are present, the timestamp lies within tolerance of now (either
// way; zero means DefaultTolerance), and one of the space-separated "v1,…"
// signatures is the HMAC of the message under secret, compared in constant
// time. Signatures of other versions are skipped. It returns nil, or one of
// ErrMissingHeaders, ErrBadTimestamp, ErrTooOld, ErrTooNew, ErrNoMatch, or
// a ParseSecret error.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sigs == "" {
		return ErrMissingHeaders
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	if err := checkTimestamp(unix, now, tolerance); err != nil {
		return err
	}
	want := mac(key, id, unix, body)
	for _, sig := range strings.Split(sigs, " ") {
		version, b64, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrNoMatch
}

// checkTimestamp rejects a timestamp more than tolerance away from now.
func checkTimestamp(unix int64, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	limit := int64(tolerance / time.Second)
	switch d := now.Unix() - unix; {
	case d > limit:
		return ErrTooOld
	case d < -limit:
		return ErrTooNew
	}
	return nil
}
