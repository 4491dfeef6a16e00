package web

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lifeboat-itscm/lifeboat"
)

// formErrors is what a refused form shows: a summary at the top and each
// problem next to its input.
type formErrors struct {
	Message string            // what went wrong, in one sentence
	Fields  map[string]string // problems by input name
	Other   []string          // problems with no input on this form
}

// Any reports whether there is anything to show.
func (e formErrors) Any() bool { return e.Message != "" || len(e.Fields) > 0 || len(e.Other) > 0 }

// add records a problem with an input; several problems are joined.
func (e *formErrors) add(name, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if prev := e.Fields[name]; prev != "" {
		msg = prev + "; " + msg
	}
	e.Fields[name] = msg
}

var indexPattern = regexp.MustCompile(`\[[0-9]+\]`)

// inputName turns a field path of the domain ("tags[2]", "members[1]",
// "objectives.rto") into the name of the form input that holds it: inputs
// holding lists are named without the index.
func inputName(field string) string { return indexPattern.ReplaceAllString(field, "") }

// errorsFrom sorts an application error's field problems onto the inputs
// of a form. rename maps a field path to an input name, or to "" when the
// form has no input for it; nil uses inputName for the inputs listed.
func errorsFrom(err error, inputs []string, rename func(string) string) formErrors {
	e := formErrors{Message: lifeboat.ErrorMessage(err)}
	if rename == nil {
		rename = func(f string) string {
			if n := inputName(f); slices.Contains(inputs, n) {
				return n
			}
			return ""
		}
	}
	for _, f := range lifeboat.ErrorFields(err) {
		if name := rename(f.Field); name != "" {
			e.add(name, f.Message)
		} else {
			e.Other = append(e.Other, f.Field+": "+f.Message)
		}
	}
	if lifeboat.ErrorCode(err) == lifeboat.EINVALID && len(e.Fields) > 0 {
		e.Message = fixFieldsMessage // the store's "service "x" is not valid" says less
	}
	return e
}

const fixFieldsMessage = "Some values need fixing; see the messages below the fields."

// parseForm reads a posted form of at most maxBodyBytes. It answers the
// request itself and returns false when the form cannot be read.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, "The form is too large.")
		} else {
			s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		}
		return false
	}
	return true
}

// formValue returns a form field without surrounding spaces.
func formValue(r *http.Request, name string) string { return textValue(r.PostFormValue(name), 0) }

// textValue cleans text typed by a user: valid UTF-8 (PostgreSQL refuses
// anything else), no surrounding spaces, and when limit is above zero at
// most that many bytes, cut at a character boundary.
func textValue(s string, limit int) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if limit > 0 && len(s) > limit {
		s = s[:limit]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// splitList reads a comma-separated list, as typed in a text input; spaces
// and empty entries do not count.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// parseDurationInput reads an optional duration typed into a form. A value
// that does not parse is a problem with that input.
func parseDurationInput(e *formErrors, name, value string) *lifeboat.Duration {
	if value == "" {
		return nil
	}
	d, err := lifeboat.ParseDuration(value)
	if err != nil {
		msg := err.Error() // its bounds, or that it is not a duration at all
		if !strings.Contains(msg, "100 years") && !strings.Contains(msg, "negative") {
			msg = strconv.Quote(value) + ` is not a duration: write it like 90m, 4h, 1d12h or 2w`
		}
		e.add(name, msg)
		return nil
	}
	return &d
}

// formStatus is the status of a refused form: 422 for invalid input, 409
// when it clashes with stored data or someone else's change.
func formStatus(err error) int {
	switch lifeboat.ErrorCode(err) {
	case lifeboat.EINVALID:
		return http.StatusUnprocessableEntity
	case lifeboat.ECONFLICT, lifeboat.ESTALE:
		return http.StatusConflict
	}
	return statusOf(lifeboat.ErrorCode(err))
}

// isFormError reports whether err is a refusal the form can show next to
// the user's input, rather than an error page.
func isFormError(err error) bool {
	switch lifeboat.ErrorCode(err) {
	case lifeboat.EINVALID, lifeboat.ECONFLICT, lifeboat.ESTALE, lifeboat.ETOOLARGE:
		return true
	}
	return false
}

// staleMessage explains a refused change to an outdated version.
const staleMessage = "This was changed by someone else since you opened the form, so your change was not saved. " +
	"Open the current version, then make your change again."

// pageError answers a failed request with the right page: not found,
// a refusal with the store's message, or a generic message for anything
// unexpected, which is logged.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	switch code := lifeboat.ErrorCode(err); code {
	case lifeboat.ENOTFOUND:
		s.notFound(w, r, lifeboat.ErrorMessage(err))
	case lifeboat.EINTERNAL:
		s.Logger.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on our side. Please try again.")
	default:
		if status := formStatus(err); status >= 500 {
			s.Logger.Warn("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		s.errorPage(w, r, formStatus(err), lifeboat.ErrorMessage(err))
	}
}

type errorData struct {
	Status  int
	Heading string
	Message string
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	heading := http.StatusText(status)
	s.render(w, r, status, "error", page{Title: heading, Data: errorData{Status: status, Heading: heading, Message: msg}})
}

// notFound shows the friendly 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusNotFound, "notfound", page{Title: "Not found", Data: errorData{Status: http.StatusNotFound, Message: msg}})
}

// notFoundPage answers any path no other route takes.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	s.notFound(w, r, "")
}
