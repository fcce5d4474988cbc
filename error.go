package oms

import (
	"errors"
	"fmt"
)

// Error codes. They are stable: clients match on them, and the HTTP layer maps
// each one to a status code.
const (
	EINVALID      = "invalid"                // the request is malformed or breaks a rule
	ENOTFOUND     = "not_found"              // the thing asked for does not exist
	ECONFLICT     = "conflict"               // the request clashes with the current state
	EOUTOFSTOCK   = "out_of_stock"           // not enough stock and the channel rejects backorders
	EUNAUTHORIZED = "unauthorized"           // no valid credentials
	EFORBIDDEN    = "forbidden"              // valid credentials without the needed role
	ETOOLARGE     = "too_large"              // the request body is over the limit
	EIDEMPOTENCY  = "idempotency_key_reused" // an Idempotency-Key was reused for another request
	ESTALE        = "precondition_failed"    // If-Match names a version the order is no longer at
	EVERSION      = "precondition_required"  // the change must name the version it expects (If-Match)
	EINTERNAL     = "internal"               // a fault on our side; details are logged, never shown
)

// Error is an error with a stable code and a message safe to show a person.
// Validation errors list the offending fields; out-of-stock errors list the
// short SKUs.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Short   []Shortage
}

// FieldError names one invalid field of a request, as a JSON path such as
// "lines[2].quantity".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Shortage says how much of a SKU was asked for and how much could be had.
type Shortage struct {
	SKU       string `json:"sku"`
	Requested int64  `json:"requested"`
	Available int64  `json:"available"`
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("oms: %s: %s (%s: %s)", e.Code, e.Message, e.Fields[0].Field, e.Fields[0].Message)
	}
	return fmt.Sprintf("oms: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming one field.
func Invalid(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: EINVALID, Message: "the request is not valid", Fields: []FieldError{{Field: field, Message: msg}}}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	}
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-safe message of err, or a generic one for
// internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "an internal error occurred"
}

// Problems collects field errors while validating a request.
type Problems []FieldError

// Add records that field is invalid.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an EINVALID *Error listing the collected fields, or nil if there
// are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the request is not valid", Fields: p}
}
