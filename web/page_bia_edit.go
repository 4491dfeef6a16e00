package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// The guided BIA, /services/{id}/bia/edit: plain questions step by step,
// one plain form that works without JavaScript. Buttons that add or
// remove a row post the form and get it back with the change, nothing
// saved; with htmx they swap the form in place, and a preview of what the
// answers give follows every change.

type biaFormData struct {
	Service *lifeboat.Service
	Form    biaForm
	Errors  formErrors
	New     bool // the service has no BIA yet
	Stale   bool
	Scale   *lifeboat.ImpactScale
	// Intolerable names the intolerable ratings: "major or severe".
	Intolerable string
	Points      []pointRow
	Peaks       []peakForm  // with a blank row to fill in
	People      []staffForm // likewise
	Preview     *biaPreview
}

// pointRow is one time point of the form with its questions.
type pointRow struct {
	Name    string // the input prefix: impacts[2]
	Index   int
	Form    pointForm
	Heading string // After 4 hours without Checkout, how bad is it…
	Ratings []ratingInput
}

type ratingInput struct {
	Name, Question, Value string
}

// biaPreview is what the answers give so far.
type biaPreview struct {
	Objectives []objectiveRow
	Problem    string // why there is nothing to show yet
}

// categoryQuestions end the question of each category of the default
// scale; others read "for <category>?".
var categoryQuestions = map[string]string{
	"financial": "financially?", "operational": "for operations?", "customer": "for customers?",
	"reputational": "for the reputation?", "legal": "legally, for compliance?", "safety": "for people's safety?",
}

func categoryQuestion(c string) string {
	if q, ok := categoryQuestions[c]; ok {
		return q
	}
	return "for " + strings.ReplaceAll(c, "-", " ") + "?"
}

// editBIAPage shows the guided form, filled in from the stored BIA.
func (s *Server) editBIAPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	svc, err := s.Services.FindServiceByID(ctx, r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := biaFormData{Service: svc, Form: newBIAForm(), New: true}
	if b, _, err := s.BIAs.FindBIA(ctx, svc.ID, s.Auth.Now()); err == nil {
		d.Form, d.New = biaFormOf(b), false
	} else if lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
		s.pageError(w, r, err)
		return
	}
	s.renderBIAForm(w, r, http.StatusOK, d)
}

// saveBIAPage saves the guided form, or takes the action of the button
// that sent it: add a time point, remove one, or just show the form again
// with another empty row.
func (s *Server) saveBIAPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d, scale, err := s.postedBIAForm(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if action := r.PostFormValue("action"); action != "" && action != "save" {
		d.Form.rowAction(action)
		s.renderBIAForm(w, r, http.StatusOK, d)
		return
	}
	d.Form.sortPoints()
	b, e := d.Form.bia(d.Service.ID)
	if e.Any() {
		d.Errors = s.biaFormErrors(d.Form, scale, e, b)
		s.renderBIAForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if err := s.saveBIA(r.Context(), b, d.Form.Version); err != nil {
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		d.Errors = errorsFrom(err, nil, inputFor(d.Form.inputs(scale.Categories)))
		if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
			d.Errors.Message, d.Stale = staleMessage, true
		}
		s.renderBIAForm(w, r, formStatus(err), d)
		return
	}
	redirect(w, r, "/services/"+d.Service.ID+"/bia", "Saved the BIA of "+d.Service.Name+".")
}

// postedBIAForm reads the guided form posted for the service in the path.
func (s *Server) postedBIAForm(r *http.Request) (biaFormData, *lifeboat.ImpactScale, error) {
	svc, err := s.Services.FindServiceByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return biaFormData{}, nil, err
	}
	scale, err := s.impactScale(r.Context())
	if err != nil {
		return biaFormData{}, nil, err
	}
	d := biaFormData{Service: svc, Form: readBIAForm(r, scale.Categories)}
	d.New = d.Form.Version == 0
	return d, scale, nil
}

// rowAction takes the action of a button that changes the rows: remove a
// point (remove-point-N, N as posted), add one, or none but putting the
// points in time order.
func (f *biaForm) rowAction(action string) {
	if i, ok := strings.CutPrefix(action, "remove-point-"); ok {
		if n, err := strconv.Atoi(i); err == nil && n >= 0 && n < len(f.Points) {
			f.Points = append(f.Points[:n], f.Points[n+1:]...)
		}
	}
	f.sortPoints()
	if action == "add-point" { // last, to be filled in
		f.Points = append(f.Points, pointForm{Ratings: map[string]string{}})
	}
}

// saveBIA checks a BIA from the form and saves it through the store.
func (s *Server) saveBIA(ctx context.Context, b *lifeboat.BIA, version int64) error {
	if err := s.checkBIAChange(ctx, b); err != nil {
		return err
	}
	if version == 0 {
		if err := s.checkStillNew(ctx, b.Service); err != nil {
			return err
		}
	}
	return s.BIAs.SaveBIA(ctx, b, version)
}

// checkStillNew refuses to save a form opened for a new BIA over one that
// someone else has saved since; the store takes version 0 for any.
func (s *Server) checkStillNew(ctx context.Context, id string) error {
	_, _, err := s.BIAs.FindBIA(ctx, id, s.Auth.Now())
	switch lifeboat.ErrorCode(err) {
	case "":
		return lifeboat.Errorf(lifeboat.ESTALE, "the BIA of %q was saved by someone else since you opened the form", id)
	case lifeboat.ENOTFOUND:
		return nil
	}
	return err
}

// biaFormErrors adds what validation says about the parts that could be
// read to the problems of those that could not, so that every problem
// shows at once.
func (s *Server) biaFormErrors(f biaForm, scale *lifeboat.ImpactScale, e formErrors, b *lifeboat.BIA) formErrors {
	more := errorsFrom(b.Validate(), nil, inputFor(f.inputs(scale.Categories)))
	for name, msg := range more.Fields {
		if e.Fields[name] == "" { // a value that did not parse is not also reported otherwise
			e.add(name, msg)
		}
	}
	e.Other, e.Message = more.Other, fixFieldsMessage
	return e
}

// previewBIAPage answers htmx with what the answers typed so far give.
func (s *Server) previewBIAPage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d, scale, err := s.postedBIAForm(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Form.sortPoints()
	s.renderPartial(w, r, http.StatusOK, "bia_form", "bia-preview-response", page{Data: previewOf(d.Form, d.Service, scale)})
}

// previewOf derives the objectives from the answers, when they can be
// read.
func previewOf(f biaForm, svc *lifeboat.Service, scale *lifeboat.ImpactScale) *biaPreview {
	b, e := f.bia(svc.ID)
	if e.Any() {
		return &biaPreview{Problem: "Some answers cannot be read yet; the messages below them say why."}
	}
	v := newBIAView(newBIARecord(scale, svc, b, lifeboat.ReviewState{}), committed{}, "")
	return &biaPreview{Objectives: v.Objectives}
}

func (s *Server) renderBIAForm(w http.ResponseWriter, r *http.Request, status int, d biaFormData) {
	scale, err := s.impactScale(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Scale = scale
	var intolerable []string
	for _, rt := range scale.Ratings {
		if rt.Intolerable {
			intolerable = append(intolerable, "“"+rt.Name+"”")
		}
	}
	d.Intolerable = strings.Join(intolerable, " or ")
	for i, p := range d.Form.Points {
		d.Points = append(d.Points, newPointRow(i, p, d.Service.Name, scale))
	}
	d.Peaks = append(append([]peakForm{}, d.Form.Peaks...), peakForm{})
	d.People = append(append([]staffForm{}, d.Form.People...), staffForm{})
	d.Preview = previewOf(d.Form, d.Service, scale)
	s.render(w, r, status, "bia_form", page{Title: "BIA of " + d.Service.Name, Nav: "bia", Data: d})
}

func newPointRow(i int, p pointForm, name string, scale *lifeboat.ImpactScale) pointRow {
	row := pointRow{Name: "impacts[" + strconv.Itoa(i) + "]", Index: i, Form: p}
	when := "After " + p.After
	if d, err := lifeboat.ParseDuration(p.After); err == nil {
		when = "After " + longDuration(d)
	} else if p.After == "" {
		when = "After how long"
	}
	row.Heading = when + " without " + name + ", how bad is it…"
	for _, c := range scale.Categories {
		row.Ratings = append(row.Ratings, ratingInput{Name: row.Name + ".ratings." + c, Question: "…" + categoryQuestion(c), Value: p.Ratings[c]})
	}
	return row
}
