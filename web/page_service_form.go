package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// serviceForm is a service as typed into the form: every value a string,
// so that a refused form shows exactly what the user typed.
type serviceForm struct {
	ID, Name, Kind, Owner, Tier, Tags, Lifecycle, Description string
	RTO, RPO, MTPD, RecoveryTime, DataLoss                    string
	ContractRTO, ContractRPO, ContractReference               string
	Version                                                   int64
}

// serviceInputs are the form's input names; they follow the field paths of
// the domain so that a field problem lands next to its input.
var serviceInputs = []string{"id", "name", "kind", "owner", "tier", "tags", "lifecycle", "description",
	"objectives", "objectives.rto", "objectives.rpo", "objectives.mtpd", "recovery", "recovery.time", "recovery.data_loss",
	"contract", "contract.rto", "contract.rpo", "contract.reference"}

func serviceFormOf(s *lifeboat.Service) serviceForm {
	f := serviceForm{ID: s.ID, Name: s.Name, Kind: string(s.Kind), Owner: s.Owner, Tags: strings.Join(s.Tags, ", "),
		Lifecycle: string(s.Lifecycle), Description: s.Description, Version: s.Version}
	if s.Tier != nil {
		f.Tier = strconv.Itoa(*s.Tier)
	}
	text := func(d *lifeboat.Duration) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	if o := s.Objectives; o != nil {
		f.RTO, f.RPO, f.MTPD = text(o.RTO), text(o.RPO), text(o.MTPD)
	}
	if rc := s.Recovery; rc != nil {
		f.RecoveryTime, f.DataLoss = text(rc.Time), text(rc.DataLoss)
	}
	if c := s.Contract; c != nil {
		f.ContractRTO, f.ContractRPO, f.ContractReference = text(c.RTO), text(c.RPO), c.Reference
	}
	return f
}

func readServiceForm(r *http.Request) serviceForm {
	v := func(name string) string { return formValue(r, name) }
	f := serviceForm{ID: v("id"), Name: v("name"), Kind: v("kind"), Owner: v("owner"), Tier: v("tier"),
		Tags: v("tags"), Lifecycle: v("lifecycle"), Description: formValue(r, "description"),
		RTO: v("objectives.rto"), RPO: v("objectives.rpo"), MTPD: v("objectives.mtpd"),
		RecoveryTime: v("recovery.time"), DataLoss: v("recovery.data_loss"),
		ContractRTO: v("contract.rto"), ContractRPO: v("contract.rpo"), ContractReference: v("contract.reference")}
	f.Version, _ = strconv.ParseInt(v("version"), 10, 64)
	return f
}

// service builds the service the form describes. Values that cannot be
// read, such as a malformed duration, are problems with their inputs; then
// the service is also validated so that every problem shows at once.
func (f serviceForm) service() (*lifeboat.Service, formErrors) {
	var e formErrors
	s := &lifeboat.Service{ID: f.ID, Name: f.Name, Kind: lifeboat.Kind(f.Kind), Owner: f.Owner,
		Tags: splitList(f.Tags), Lifecycle: lifeboat.Lifecycle(f.Lifecycle), Description: f.Description}
	if f.Tier != "" {
		if n, err := strconv.Atoi(f.Tier); err == nil {
			s.Tier = &n
		} else {
			e.add("tier", "choose a tier from the list")
		}
	}
	s.Objectives = &lifeboat.Objectives{RTO: parseDurationInput(&e, "objectives.rto", f.RTO),
		RPO: parseDurationInput(&e, "objectives.rpo", f.RPO), MTPD: parseDurationInput(&e, "objectives.mtpd", f.MTPD)}
	s.Recovery = &lifeboat.Recovery{Time: parseDurationInput(&e, "recovery.time", f.RecoveryTime),
		DataLoss: parseDurationInput(&e, "recovery.data_loss", f.DataLoss)}
	s.Contract = &lifeboat.Contract{RTO: parseDurationInput(&e, "contract.rto", f.ContractRTO),
		RPO: parseDurationInput(&e, "contract.rpo", f.ContractRPO), Reference: f.ContractReference}
	if e.Any() {
		s.Normalize()
		more := errorsFrom(s.Validate(), serviceInputs, nil)
		for name, msg := range more.Fields {
			if e.Fields[name] == "" { // a value that did not parse is not also reported as missing
				e.add(name, msg)
			}
		}
		e.Other = more.Other
		e.Message = fixFieldsMessage
	}
	return s, e
}

type serviceFormData struct {
	Form       serviceForm
	Errors     formErrors
	Editing    bool
	Stale      bool
	Teams      []*lifeboat.Team
	Kinds      []lifeboat.Kind
	Lifecycles []lifeboat.Lifecycle
	Tiers      []tierInfo
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, d serviceFormData) {
	teams, err := s.Teams.FindTeams(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Teams, d.Kinds, d.Lifecycles, d.Tiers = teams, lifeboat.Kinds, lifeboat.Lifecycles, defaultTiers
	if n, err := strconv.Atoi(d.Form.Tier); err == nil && n >= len(defaultTiers) {
		d.Tiers = append(append([]tierInfo{}, defaultTiers...), tierByID(n))
	}
	title := "New service"
	if d.Editing {
		title = "Edit " + d.Form.Name
	}
	s.render(w, r, status, "service_form", page{Title: title, Nav: "services", Data: d})
}

// newServicePage shows an empty service form.
func (s *Server) newServicePage(w http.ResponseWriter, r *http.Request) {
	f := serviceForm{Kind: string(lifeboat.KindApplication), Lifecycle: string(lifeboat.LifecycleActive)}
	if k := r.URL.Query().Get("kind"); k != "" {
		f.Kind = k
	}
	s.renderServiceForm(w, r, http.StatusOK, serviceFormData{Form: f})
}

// createServicePage stores a new service from the form.
func (s *Server) createServicePage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readServiceForm(r)
	svc, e := f.service()
	if e.Any() {
		s.renderServiceForm(w, r, http.StatusUnprocessableEntity, serviceFormData{Form: f, Errors: e})
		return
	}
	if err := s.Services.CreateService(r.Context(), svc); err != nil {
		s.serviceFormError(w, r, serviceFormData{Form: f}, err)
		return
	}
	redirect(w, r, "/services/"+svc.ID, "Created service "+svc.Name+".")
}

// editServicePage shows the form for a stored service.
func (s *Server) editServicePage(w http.ResponseWriter, r *http.Request) {
	svc, err := s.Services.FindServiceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderServiceForm(w, r, http.StatusOK, serviceFormData{Form: serviceFormOf(svc), Editing: true})
}

// updateServicePage saves the form over the version it was loaded from;
// if someone changed the service since, it refuses rather than overwrite.
// Dependencies are edited on the service page and kept as they are.
func (s *Server) updateServicePage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readServiceForm(r)
	f.ID = r.PathValue("id") // the id cannot change; the input is read-only
	current, err := s.Services.FindServiceByID(r.Context(), f.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := serviceFormData{Form: f, Editing: true}
	svc, e := f.service()
	if e.Any() {
		d.Errors = e
		s.renderServiceForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	svc.DependsOn = current.DependsOn
	if err := s.Services.UpdateService(r.Context(), svc, f.Version); err != nil {
		s.serviceFormError(w, r, d, err)
		return
	}
	redirect(w, r, "/services/"+svc.ID, "Saved service "+svc.Name+".")
}

// serviceFormError shows the store's refusal on the form, or an error page
// for anything the form cannot help with.
func (s *Server) serviceFormError(w http.ResponseWriter, r *http.Request, d serviceFormData, err error) {
	if !isFormError(err) {
		s.pageError(w, r, err)
		return
	}
	d.Errors = errorsFrom(err, serviceInputs, nil)
	if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
		d.Errors.Message, d.Stale = staleMessage, true
	}
	s.renderServiceForm(w, r, formStatus(err), d)
}
