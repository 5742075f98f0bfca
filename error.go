package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for callers. Only httpapi maps codes to HTTP
// statuses; everything below it speaks in codes.
type Code string

// The error codes. Their HTTP statuses are listed in API.md.
const (
	CodeInvalid              Code = "invalid"
	CodeUnauthenticated      Code = "unauthenticated"
	CodeForbidden            Code = "forbidden"
	CodeNotFound             Code = "not_found"
	CodeConflict             Code = "conflict"
	CodePreconditionFailed   Code = "precondition_failed"
	CodePayloadTooLarge      Code = "payload_too_large"
	CodeUnsupportedMediaType Code = "unsupported_media_type"
	CodeIdempotencyMismatch  Code = "idempotency_mismatch"
	// CodeUnprocessable: the request is well formed but what is on file
	// does not allow it (a credit check of a customer without a tax id),
	// or an outside provider refused it for good. Fields name what is
	// missing when a field is the cause.
	CodeUnprocessable Code = "unprocessable"
	CodeRateLimited   Code = "rate_limited"
	CodeUnavailable   Code = "unavailable"
	CodeInternal      Code = "internal"
)

// FieldError names one invalid input field and says what is wrong with it.
// Field uses the JSON path of the API ("billing_address.postal_code").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the project's error type: a code for programs, a message for
// people, the offending fields for invalid input and, optionally, the
// underlying cause (never shown to API clients).
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with the code and message that keeps err as cause.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, CodeUnavailable for a cancelled or timed-out context, "" for nil and
// CodeInternal for anything else.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return CodeUnavailable
	}
	return CodeInternal
}

// ErrorMessage returns the human message of err's first *Error, or a generic
// text for errors whose details must not leave the process.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorFields returns the field errors of err's first *Error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation, so one response can
// name every bad field instead of only the first.
type Problems []FieldError

// Add records that field is invalid for the reason in message.
func (p *Problems) Add(field, message string) {
	*p = append(*p, FieldError{Field: field, Message: message})
}

// Addf records a formatted message for field.
func (p *Problems) Addf(field, format string, args ...any) {
	p.Add(field, fmt.Sprintf(format, args...))
}

// Err returns nil when nothing was added, otherwise an invalid *Error listing
// every field.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	msg := "1 field is invalid"
	if len(p) > 1 {
		msg = fmt.Sprintf("%d fields are invalid", len(p))
	}
	return &Error{Code: CodeInvalid, Message: msg, Fields: append([]FieldError(nil), p...)}
}

// NotFound returns the not_found error of a kind of record ("customer",
// "contact", …).
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// CheckVersion enforces an If-Match version inside the transaction that
// writes: 0 means no condition; otherwise stored must equal ifVersion, else
// the error is precondition_failed naming what.
func CheckVersion(what string, stored, ifVersion int64) error {
	if ifVersion != 0 && stored != ifVersion {
		return Errorf(CodePreconditionFailed, "%s was modified (version %d, If-Match %d)", what, stored, ifVersion)
	}
	return nil
}
