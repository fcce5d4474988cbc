package oms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// A return link lets a customer start a return of one order without an
// API key. Its token names the order and when it expires, signed with
// HMAC-SHA256 under a secret only the server knows:
// "<base64url(order id.expiry unix seconds)>.<base64url(signature)>".

// SignReturnLink returns the token for the order, valid until expires.
func SignReturnLink(secret []byte, orderID string, expires time.Time) string {
	payload := orderID + "." + strconv.FormatInt(expires.Unix(), 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(linkMAC(secret, payload))
}

func linkMAC(secret []byte, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("oms return link v1\n" + payload))
	return m.Sum(nil)
}

// ParseReturnLink checks the token's signature and expiry at now and
// returns the order it grants access to. It returns EUNAUTHORIZED for a
// malformed, tampered or expired token.
func ParseReturnLink(secret []byte, token string, now time.Time) (string, error) {
	bad := Errorf(EUNAUTHORIZED, "the return link is not valid")
	enc := base64.RawURLEncoding
	p, s, ok := strings.Cut(token, ".")
	if !ok || len(token) > 512 {
		return "", bad
	}
	payload, err1 := enc.DecodeString(p)
	sig, err2 := enc.DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, linkMAC(secret, string(payload))) {
		return "", bad
	}
	id, exp, ok := strings.Cut(string(payload), ".")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || id == "" {
		return "", bad
	}
	if !now.Before(time.Unix(unix, 0)) {
		return "", Errorf(EUNAUTHORIZED, "the return link has expired")
	}
	return id, nil
}
