package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// dependencyForm is a dependency as typed on the service page: either one
// service (On) or a redundancy group (AnyOf, comma-separated, and MinUp).
type dependencyForm struct {
	Group                                      bool
	On, AnyOf, MinUp, Impact, Type, Workaround string
}

var dependencyInputs = []string{"on", "any_of", "min_up", "impact", "type", "workaround"}

func readDependencyForm(r *http.Request) dependencyForm {
	return dependencyForm{Group: r.PostFormValue("form") == "group", On: formValue(r, "on"), AnyOf: formValue(r, "any_of"),
		MinUp: formValue(r, "min_up"), Impact: formValue(r, "impact"), Type: formValue(r, "type"), Workaround: formValue(r, "workaround")}
}

// dependency builds the dependency the form describes; values that cannot
// be read are problems with their inputs.
func (f dependencyForm) dependency() (lifeboat.Dependency, formErrors) {
	var e formErrors
	d := lifeboat.Dependency{Impact: lifeboat.Impact(f.Impact), Type: f.Type,
		Workaround: parseDurationInput(&e, "workaround", f.Workaround)}
	if !f.Group {
		d.On = f.On
		if d.On == "" {
			e.add("on", "name the service depended on")
		}
	} else {
		d.AnyOf = splitList(f.AnyOf)
		if len(d.AnyOf) < 2 {
			e.add("any_of", "a redundancy group needs at least two members, separated by commas")
		}
		if f.MinUp != "" {
			n, err := strconv.Atoi(f.MinUp)
			if err != nil {
				e.add("min_up", "write a whole number")
			}
			d.MinUp = n
		}
	}
	if e.Any() {
		e.Message = "The dependency was not added; see the messages below the fields."
	}
	return d, e
}

// dependencyInput maps the problems of the dependency at pos (the one
// being added) onto the form's inputs.
func dependencyInput(pos int, group bool) func(string) string {
	prefix := "depends_on[" + strconv.Itoa(pos) + "]"
	return func(field string) string {
		if field == prefix {
			if group {
				return "any_of"
			}
			return "on"
		}
		if rest, ok := strings.CutPrefix(field, prefix+"."); ok {
			if n := inputName(rest); slices.Contains(dependencyInputs, n) {
				return n
			}
		}
		return ""
	}
}

// addDependencyPage appends a dependency to the version of the service the
// page showed, and shows the page again with the problems if refused.
func (s *Server) addDependencyPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	f := readDependencyForm(r)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	svc, err := s.Services.FindServiceByID(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	dep, e := f.dependency()
	if e.Any() {
		// Say now what the store would say next time: the rules of the
		// service and the services that do not exist.
		s.checkDependency(r, svc, dep, f.Group, &e)
	} else {
		pos := len(svc.DependsOn)
		svc.DependsOn = append(svc.DependsOn, dep)
		err := s.Services.UpdateService(r.Context(), svc, version)
		if err == nil {
			redirect(w, r, "/services/"+id, "Added a dependency on "+svc.DependsOn[pos].Label()+".")
			return
		}
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		status, e = formStatus(err), errorsFrom(err, nil, dependencyInput(pos, f.Group))
		if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
			e.Message = "This service was changed by someone else since you opened the page, so the dependency was not added. " +
				"The page now shows the current version; check it and add the dependency again."
		}
	}
	d, err := s.loadServiceData(r, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if f.Group {
		d.Group, d.GroupErrors = f, e
	} else {
		d.Single, d.SingleErrors = f, e
	}
	s.renderService(w, r, status, d)
}

// removeDependencyPage removes the dependency at a position of the
// version the page showed; a changed service is shown again instead, since
// the position may now name another dependency.
func (s *Server) removeDependencyPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	pos, perr := strconv.Atoi(r.PathValue("pos"))
	version, verr := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if perr != nil || verr != nil || version <= 0 {
		s.errorPage(w, r, http.StatusBadRequest, "The form does not say which dependency to remove; reload the service page and try again.")
		return
	}
	svc, err := s.Services.FindServiceByID(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if svc.Version == version && (pos < 0 || pos >= len(svc.DependsOn)) {
		s.notFound(w, r, "Service "+strconv.Quote(id)+" has no dependency at position "+strconv.Itoa(pos)+".")
		return
	}
	if svc.Version == version {
		removed := svc.DependsOn[pos]
		svc.DependsOn = slices.Delete(svc.DependsOn, pos, pos+1)
		if err = s.Services.UpdateService(r.Context(), svc, version); err == nil {
			redirect(w, r, "/services/"+id, "Removed the dependency on "+removed.Label()+".")
			return
		}
	} else {
		err = lifeboat.Errorf(lifeboat.ESTALE, "changed")
	}
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d, lerr := s.loadServiceData(r, id)
	if lerr != nil {
		s.pageError(w, r, lerr)
		return
	}
	d.Notice = lifeboat.ErrorMessage(err)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		d.Notice = "This service was changed by someone else since you opened the page, so nothing was removed. " +
			"The page now shows the current dependencies; check them and try again."
	}
	s.renderService(w, r, formStatus(err), d)
}

// checkDependency adds to e the problems the store would find with dep,
// for a form that already has problems of its own, so that the user sees
// them all at once.
func (s *Server) checkDependency(r *http.Request, svc *lifeboat.Service, dep lifeboat.Dependency, group bool, e *formErrors) {
	pos := len(svc.DependsOn)
	svc.DependsOn = append(svc.DependsOn, dep)
	svc.Normalize()
	more := errorsFrom(svc.Validate(), nil, dependencyInput(pos, group))
	for _, t := range dep.Targets() {
		if !lifeboat.ValidID(t) {
			continue
		}
		if _, err := s.Services.FindServiceByID(r.Context(), t); lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND {
			more.add(map[bool]string{false: "on", true: "any_of"}[group], "no service "+strconv.Quote(t))
		}
	}
	for name, msg := range more.Fields {
		if e.Fields[name] == "" {
			e.add(name, msg)
		}
	}
}
