package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// The impact scale page shows the categories, ratings and recovery tiers
// every BIA is measured with; admins edit them on the same page.

type scaleForm struct {
	Version    int64
	Currency   string
	Categories []string
	Ratings    []ratingRow
	Tiers      []tierRow
}

type ratingRow struct {
	Level, Name string
	Intolerable bool
}

type tierRow struct{ ID, Name, MaxRTO string }

type scaleData struct {
	Form    scaleForm
	Errors  formErrors
	Stale   bool
	Default bool // no scale is stored: the defaults of format v1 apply
}

// blankRows are the empty rows the form offers for adding to each list.
const blankRows = 2

func formOfScale(s *lifeboat.ImpactScale, version int64) scaleForm {
	f := scaleForm{Version: version, Currency: s.Currency, Categories: s.Categories}
	for _, r := range s.Ratings {
		f.Ratings = append(f.Ratings, ratingRow{strconv.Itoa(r.Level), r.Name, r.Intolerable})
	}
	for _, t := range s.Tiers {
		f.Tiers = append(f.Tiers, tierRow{strconv.Itoa(t.ID), t.Name, t.MaxRTO.String()})
	}
	return f
}

// readScaleForm reads the rows of the form, leaving out the empty ones.
func readScaleForm(r *http.Request) scaleForm {
	f := scaleForm{Currency: strings.ToUpper(formValue(r, "currency"))}
	f.Version, _ = strconv.ParseInt(formValue(r, "version"), 10, 64)
	for _, c := range r.PostForm["category"] {
		if c = textValue(c, 100); c != "" {
			f.Categories = append(f.Categories, c)
		}
	}
	levels, names := r.PostForm["rating_level"], r.PostForm["rating_name"]
	intolerable := map[string]bool{}
	for _, i := range r.PostForm["rating_intolerable"] {
		intolerable[i] = true
	}
	for i := range min(len(levels), len(names)) {
		row := ratingRow{textValue(levels[i], 10), textValue(names[i], 100), intolerable[strconv.Itoa(i)]}
		if row.Level != "" || row.Name != "" {
			f.Ratings = append(f.Ratings, row)
		}
	}
	ids, tnames, rtos := r.PostForm["tier_id"], r.PostForm["tier_name"], r.PostForm["tier_max_rto"]
	for i := range min(len(ids), len(tnames), len(rtos)) {
		row := tierRow{textValue(ids[i], 10), textValue(tnames[i], 100), textValue(rtos[i], 30)}
		if row.ID != "" || row.Name != "" || row.MaxRTO != "" {
			f.Tiers = append(f.Tiers, row)
		}
	}
	return f
}

// scale turns the form into a scale; numbers and durations that do not
// read are problems at their input.
func (f scaleForm) scale() (*lifeboat.ImpactScale, error) {
	s := &lifeboat.ImpactScale{Currency: f.Currency, Categories: f.Categories}
	var p lifeboat.Problems
	for i, r := range f.Ratings {
		level, err := strconv.Atoi(r.Level)
		if err != nil {
			p.Add("ratings["+strconv.Itoa(i)+"].level", "give the level as a whole number, such as 4")
		}
		s.Ratings = append(s.Ratings, lifeboat.Rating{Level: level, Name: r.Name, Intolerable: r.Intolerable})
	}
	for i, t := range f.Tiers {
		id, err := strconv.Atoi(t.ID)
		if err != nil {
			p.Add("tiers["+strconv.Itoa(i)+"].id", "give the tier as a whole number, such as 1")
		}
		rto, err := lifeboat.ParseDuration(t.MaxRTO)
		if err != nil {
			p.Add("tiers["+strconv.Itoa(i)+"].max_rto", "give the maximum RTO as a duration, such as 4h or 1d")
		}
		s.Tiers = append(s.Tiers, lifeboat.Tier{ID: id, Name: t.Name, MaxRTO: rto})
	}
	return s, p.Err("impact_scale")
}

func (s *Server) scalePage(w http.ResponseWriter, r *http.Request) {
	scale, version, err := s.Models.FindImpactScale(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderScale(w, r, http.StatusOK, scaleData{Form: formOfScale(scale, version), Default: version == 0})
}

func (s *Server) updateScalePage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := readScaleForm(r)
	scale, err := f.scale()
	if err == nil {
		err = s.Models.UpdateImpactScale(r.Context(), scale, f.Version)
	}
	if err != nil {
		if !isFormError(err) {
			s.pageError(w, r, err)
			return
		}
		d := scaleData{Form: f, Default: f.Version == 0, Errors: errorsFrom(err, nil, scaleInputName)}
		if lifeboat.ErrorCode(err) == lifeboat.ESTALE {
			d.Errors.Message, d.Stale = staleMessage, true
		}
		s.renderScale(w, r, formStatus(err), d)
		return
	}
	redirect(w, r, "/impact-scale", "Saved the impact scale.")
}

// scaleInputName names the input of a problem: the fields of the scale's
// validation are the inputs' names; a BIA's problems have no input.
func scaleInputName(field string) string {
	for _, prefix := range []string{"categories[", "ratings[", "tiers[", "currency"} {
		if strings.HasPrefix(field, prefix) {
			return field
		}
	}
	return ""
}

func (s *Server) renderScale(w http.ResponseWriter, r *http.Request, status int, d scaleData) {
	for range blankRows {
		d.Form.Categories = append(d.Form.Categories, "")
		d.Form.Ratings = append(d.Form.Ratings, ratingRow{})
		d.Form.Tiers = append(d.Form.Tiers, tierRow{})
	}
	s.render(w, r, status, "impact_scale", page{Title: "Impact scale", Nav: "model", Data: d})
}
