package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// The guided BIA as typed: every value a string, so that a refused form
// shows what was typed. Input names are the field paths of the domain
// ("impacts[2].ratings.customer", "peak_periods[0].when"), so that the
// store's problems land next to their inputs. Rows left empty are dropped
// when the form is read, which keeps the rows of the form and the lists of
// the BIA in step.

// biaForm is a BIA as typed into the guided form.
type biaForm struct {
	Version                  int64
	Points                   []pointForm
	WRT, RPO, MBCO, Notes    string
	Interval                 string
	Peaks                    []peakForm
	People                   []staffForm
	Systems, Suppliers       string // service ids, separated by commas
	Facilities, VitalRecords string // one a line
}

type pointForm struct {
	After, Loss string
	Ratings     map[string]string // level by category, "" for not assessed
}

type peakForm struct{ Name, When, Months, Factor string }

type staffForm struct{ Role, Count string }

// Bounds of the form's rows, so that a forged form cannot make the server
// read without end; the domain's own limits apply on top.
const (
	maxFormPoints = 50
	maxFormRows   = lifeboat.MaxPeakPeriods
)

// defaultPoints are the time points a new BIA asks about.
var defaultPoints = []string{"1h", "4h", "1d", "3d", "1w"}

// newBIAForm is the form of a new BIA: the default time points, unrated.
func newBIAForm() biaForm {
	f := biaForm{}
	for _, after := range defaultPoints {
		f.Points = append(f.Points, pointForm{After: after, Ratings: map[string]string{}})
	}
	return f
}

// biaFormOf is the form of a stored BIA.
func biaFormOf(b *lifeboat.BIA) biaForm {
	f := biaForm{Version: b.Version, WRT: durationText(b.WorkRecoveryTime), RPO: durationText(b.RPO), MBCO: b.MBCO, Notes: b.Notes}
	for _, pt := range b.Impacts {
		p := pointForm{After: pt.After.String(), Ratings: map[string]string{}}
		if pt.Loss != nil {
			p.Loss = pt.Loss.String()
		}
		for c, level := range pt.Ratings {
			p.Ratings[c] = strconv.Itoa(level)
		}
		f.Points = append(f.Points, p)
	}
	if b.Review != nil && b.Review.IntervalMonths != 0 {
		f.Interval = strconv.Itoa(b.Review.IntervalMonths)
	}
	for _, p := range b.PeakPeriods {
		pf := peakForm{Name: p.Name, When: p.When}
		for i, m := range p.Months {
			if i > 0 {
				pf.Months += ", "
			}
			pf.Months += strconv.Itoa(m)
		}
		if p.Factor != nil {
			pf.Factor = strconv.FormatFloat(*p.Factor, 'f', -1, 64)
		}
		f.Peaks = append(f.Peaks, pf)
	}
	if r := b.Resources; r != nil {
		for _, s := range r.People {
			f.People = append(f.People, staffForm{s.Role, strconv.Itoa(s.Count)})
		}
		f.Systems, f.Suppliers = strings.Join(r.Systems, ", "), strings.Join(r.Suppliers, ", ")
		f.Facilities, f.VitalRecords = strings.Join(r.Facilities, "\n"), strings.Join(r.VitalRecords, "\n")
	}
	return f
}

// readBIAForm reads the posted form; categories are those the form asks
// about. Rows come back in the order posted; see sortPoints.
func readBIAForm(r *http.Request, categories []string) biaForm {
	v := func(name string) string { return formValue(r, name) }
	f := biaForm{WRT: v("work_recovery_time"), RPO: v("rpo"), MBCO: v("mbco"), Notes: textValue(r.PostFormValue("notes"), 0),
		Interval: v("review.interval_months"), Systems: v("resources.systems"), Suppliers: v("resources.suppliers"),
		Facilities: v("resources.facilities"), VitalRecords: v("resources.vital_records")}
	f.Version, _ = strconv.ParseInt(v("version"), 10, 64)
	each(r.PostForm, "impacts", maxFormPoints, func(p string) {
		pt := pointForm{After: v(p + ".after"), Loss: v(p + ".loss"), Ratings: map[string]string{}}
		blank := pt.After == "" && pt.Loss == ""
		for _, c := range categories {
			if level := v(p + ".ratings." + c); level != "" {
				pt.Ratings[c], blank = level, false
			}
		}
		if !blank {
			f.Points = append(f.Points, pt)
		}
	})
	each(r.PostForm, "peak_periods", maxFormRows, func(p string) {
		pk := peakForm{Name: v(p + ".name"), When: v(p + ".when"), Months: v(p + ".months"), Factor: v(p + ".factor")}
		if pk != (peakForm{}) {
			f.Peaks = append(f.Peaks, pk)
		}
	})
	each(r.PostForm, "resources.people", maxFormRows, func(p string) {
		if s := (staffForm{v(p + ".role"), v(p + ".count")}); s != (staffForm{}) {
			f.People = append(f.People, s)
		}
	})
	return f
}

// each calls fn with "list[0]", "list[1]"… for as long as the form has
// any input of that row, up to limit rows.
func each(form url.Values, list string, limit int, fn func(prefix string)) {
	for i := range limit {
		p := list + "[" + strconv.Itoa(i) + "]"
		found := false
		for k := range form {
			if strings.HasPrefix(k, p+".") {
				found = true
				break
			}
		}
		if !found {
			return
		}
		fn(p)
	}
}

// sortPoints puts the points in time order where their times can be read,
// as the BIA needs them.
func (f *biaForm) sortPoints() {
	slices.SortStableFunc(f.Points, func(a, b pointForm) int { return cmp.Compare(sortKey(a.After), sortKey(b.After)) })
}

// sortKey orders points by their time; those that cannot be read go last,
// in the order given.
func sortKey(after string) int64 {
	d, err := lifeboat.ParseDuration(after)
	if err != nil {
		return 1 << 62
	}
	return d.Seconds()
}

// bia builds the BIA the form describes. Values that cannot be read are
// problems with their inputs.
func (f biaForm) bia(service string) (*lifeboat.BIA, formErrors) {
	var e formErrors
	b := &lifeboat.BIA{Service: service, MBCO: f.MBCO, Notes: f.Notes,
		WorkRecoveryTime: parseDurationInput(&e, "work_recovery_time", f.WRT), RPO: parseDurationInput(&e, "rpo", f.RPO)}
	for i, p := range f.Points {
		b.Impacts = append(b.Impacts, p.point(&e, "impacts["+strconv.Itoa(i)+"]"))
	}
	if n, ok := formInt(&e, "review.interval_months", f.Interval, "a number of months, such as 12"); ok {
		b.Review = &lifeboat.BIAReview{IntervalMonths: n}
	}
	for i, p := range f.Peaks {
		b.PeakPeriods = append(b.PeakPeriods, p.period(&e, "peak_periods["+strconv.Itoa(i)+"]"))
	}
	r := &lifeboat.BIAResources{Systems: splitList(f.Systems), Suppliers: splitList(f.Suppliers),
		Facilities: lines(f.Facilities), VitalRecords: lines(f.VitalRecords)}
	for i, s := range f.People {
		name := "resources.people[" + strconv.Itoa(i) + "]"
		n, _ := formInt(&e, name+".count", s.Count, "a whole number of people, such as 3")
		r.People = append(r.People, lifeboat.StaffNeed{Role: s.Role, Count: n})
	}
	b.Resources = r
	b.Normalize()
	return b, e
}

func (p pointForm) point(e *formErrors, name string) lifeboat.ImpactPoint {
	var pt lifeboat.ImpactPoint
	if p.After == "" {
		e.add(name+".after", "say after how long, such as 4h or 1d")
	} else if d := parseDurationInput(e, name+".after", p.After); d != nil {
		pt.After = *d
	}
	if p.Loss != "" {
		if a, err := parseAmount(p.Loss); err == nil {
			pt.Loss = &a
		} else {
			e.add(name+".loss", strconv.Quote(p.Loss)+" is not an amount: write it like 45000 or 45,000")
		}
	}
	for c, level := range p.Ratings {
		if n, err := strconv.Atoi(level); err == nil {
			if pt.Ratings == nil {
				pt.Ratings = map[string]int{}
			}
			pt.Ratings[c] = n
		} else {
			e.add(name+".ratings."+c, "choose a rating from the list")
		}
	}
	return pt
}

func (p peakForm) period(e *formErrors, name string) lifeboat.PeakPeriod {
	pp := lifeboat.PeakPeriod{Name: p.Name, When: p.When}
	for _, m := range splitList(p.Months) {
		if n, ok := monthNumber(m); ok {
			pp.Months = append(pp.Months, n)
		} else {
			e.add(name+".months", strconv.Quote(m)+" is not a month: write 1 to 12 or a name such as Nov")
		}
	}
	if p.Factor != "" {
		if x, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(p.Factor), "×"), 64); err == nil {
			pp.Factor = &x
		} else {
			e.add(name+".factor", "a number such as 2 or 1.5")
		}
	}
	return pp
}

// formInt reads an optional whole number; false when it is empty or
// cannot be read, which is then a problem with the input.
func formInt(e *formErrors, name, value, want string) (int, bool) {
	if value == "" {
		return 0, false
	}
	n, err := strconv.Atoi(value)
	if err != nil {
		e.add(name, strconv.Quote(value)+" is not "+want)
		return 0, false
	}
	return n, true
}

// parseAmount reads a sum of money as people type it: "45000", "45,000",
// "1 100 000.50".
func parseAmount(s string) (lifeboat.Amount, error) {
	s = strings.NewReplacer(",", "", " ", "", "_", "", "\u00a0", "").Replace(s)
	f, err := strconv.ParseFloat(s, 64)
	return lifeboat.Amount(f), err
}

// monthNumber reads a month as a number or an English name.
func monthNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true // the domain checks the range
	}
	for m := time.January; m <= time.December; m++ {
		if name := strings.ToLower(m.String()); len(s) >= 3 && strings.HasPrefix(name, strings.ToLower(s)) {
			return int(m), true
		}
	}
	return 0, false
}

// lines splits text into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// inputs are the names of the form's inputs, to place problems.
func (f biaForm) inputs(categories []string) []string {
	in := []string{"work_recovery_time", "rpo", "mbco", "notes", "review.interval_months", "resources.systems",
		"resources.suppliers", "resources.facilities", "resources.vital_records"}
	for i := range f.Points {
		p := "impacts[" + strconv.Itoa(i) + "]"
		in = append(in, p+".after", p+".loss")
		for _, c := range categories {
			in = append(in, p+".ratings."+c)
		}
	}
	for i := range f.Peaks {
		p := "peak_periods[" + strconv.Itoa(i) + "]"
		in = append(in, p+".name", p+".when", p+".months", p+".factor")
	}
	for i := range f.People {
		p := "resources.people[" + strconv.Itoa(i) + "]"
		in = append(in, p+".role", p+".count")
	}
	return in
}

// inputFor finds the input of a field path: the path itself, or the list
// it is an entry of ("resources.systems[2]" is typed in resources.systems).
func inputFor(inputs []string) func(string) string {
	return func(field string) string {
		for f := field; f != ""; {
			if slices.Contains(inputs, f) {
				return f
			}
			i := strings.LastIndexByte(f, '[')
			if i < 0 || !strings.HasSuffix(f, "]") {
				return ""
			}
			f = f[:i]
		}
		return ""
	}
}
