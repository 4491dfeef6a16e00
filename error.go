package lifeboat

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Every layer speaks these; the web layer maps them to HTTP
// statuses in one place and the command line to exit codes.
const (
	ECONFLICT = "conflict"    // the change clashes with existing data
	EINTERNAL = "internal"    // a bug or an outage: logged, never shown in detail
	EINVALID  = "invalid"     // the input is wrong; Fields say where
	ENOTFOUND = "not_found"   // the thing does not exist
	ESTALE    = "stale"       // the caller changed an outdated version
	ETOOLARGE = "too_large"   // the input exceeds a limit
	EFORBID   = "forbidden"   // the caller may not do this
	EUNAVAIL  = "unavailable" // a dependency such as the database is down
)

// FieldError names one problem in one input field, such as
// "depends_on[2].on: no service \"db-east\"".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the application error: a machine-readable code, a message meant
// for people, and for invalid input the fields at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e != nil {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error and a generic text
// for any other error, so internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e != nil {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorFields returns the field errors of an application error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) && e != nil {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records a problem with a field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil without problems and an EINVALID error listing them otherwise.
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: what + " is not valid", Fields: p}
}
