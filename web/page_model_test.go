package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// modelFile is a file chosen in the upload form's file input.
type modelFile struct{ name, content string }

// postModelForm sends a model form as a browser on the same site does:
// multipart, files first, then the other fields; headers are name, value
// pairs such as a user's Authorization.
func postModelForm(t *testing.T, s *Server, path string, files []modelFile, fields url.Values, headers ...string) pageResponse {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range files {
		w, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.content)
	}
	for name, values := range fields {
		for _, v := range values {
			mw.WriteField(name, v)
		}
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return serve(s, r)
}

// applyForm reads the hidden fields of a plan page's apply form, as the
// browser posts them back.
func applyForm(t *testing.T, r pageResponse) url.Values {
	t.Helper()
	form := regexp.MustCompile(`(?s)<form class="card apply-card" method="post" action="/model/apply"[^>]*>(.*?)</form>`).FindStringSubmatch(r.Body)
	if form == nil {
		t.Fatalf("no apply form on the page:\n%.3000s", r.Body)
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(form[1], -1) {
		v.Add(m[1], htmlUnescape(m[2]))
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&#43;", "+", "&#10;", "\n", "&amp;", "&").Replace(s)
}

func TestModelPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		viewer := "Bearer " + tokenUser(t, db, "vera", lifeboat.RoleViewer)

		r := get(t, s, "/model", "Authorization", viewer)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, `<a href="/model" aria-current="page">Model</a>`, `href="/model/export.yaml"`, "Download as YAML",
			`<span class="stat-value">8</span><span class="stat-label">services</span>`,
			`<span class="stat-value">2</span><span class="stat-label">teams</span>`,
			// Findings by severity, subjects linked.
			`<span class="badge sev-warning">`, `<a href="/services/recommendations">recommendations</a>`, "no-owner")
		wantLacks(t, r, `action="/model/plan"`, `type="file"`)

		r = get(t, s, "/model")
		wantContains(t, r, `action="/model/plan" enctype="multipart/form-data"`, `<input id="m-files" type="file" name="files" multiple accept=".yaml,.yml,.json">`,
			`name="source"`, `name="prune" value="1"`, "Also delete what the files do not have (prune)", "Review changes")

		exp := get(t, s, "/model/export.yaml", "Authorization", viewer)
		wantStatus(t, exp, http.StatusOK)
		if exp.Header.Get("Content-Disposition") != `attachment; filename="lifeboat-model.yaml"` || !strings.HasPrefix(exp.Header.Get("Content-Type"), "application/yaml") {
			t.Errorf("export headers: %v", exp.Header)
		}
		wantContains(t, exp, "version: 1", "- id: checkout")

		// The export uploaded back changes nothing.
		p := postModelForm(t, s, "/model/plan", []modelFile{{"lifeboat-model.yaml", exp.Body}}, url.Values{"prune": {"1"}})
		wantStatus(t, p, http.StatusOK)
		wantContains(t, p, "The database already matches these files", "<strong>13</strong> unchanged")
		wantLacks(t, p, "Apply these changes")
	})
}

func TestModelPlanPageLoadErrors(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	s := pageServer(t, db)
	broken := "services:\n  - id: a\n    colour: red\n"
	r := postModelForm(t, s, "/model/plan", []modelFile{{"model.yaml", broken}, {"other.yaml", "teams: [{id: ops, members: oops}]\n"}}, nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "The files could not be loaded: 2 problems",
		`<code class="load-loc">model.yaml:3:5</code> service: unknown key &#34;colour&#34;`,
		// The line quoted with a caret under the column.
		"<span class=\"gutter\">3 |</span>     colour: red\n<span class=\"gutter\">  |</span> <span class=\"caret\">    ^</span>",
		`<code class="load-loc">other.yaml:1:`,
		// The form again.
		`action="/model/plan"`)

	// Pasted YAML is kept in the form.
	r = postModelForm(t, s, "/model/plan", nil, url.Values{"source": {"services: [{id: Bad Id}]"}, "prune": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, `<code class="load-loc">pasted.yaml:1:`, `>services: [{id: Bad Id}]</textarea>`, `name="prune" value="1" checked`)

	r = postModelForm(t, s, "/model/plan", nil, nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, "Choose one or more model files, or paste YAML.")

	r = post(t, s, "/model/plan", url.Values{"source": {"services: []"}})
	wantStatus(t, r, http.StatusUnsupportedMediaType)

	big := postModelForm(t, s, "/model/plan", []modelFile{{"big.yaml", "#" + strings.Repeat("x", maxUploadBytes)}}, nil)
	wantStatus(t, big, http.StatusRequestEntityTooLarge)
	wantContains(t, big, "at most 16 MiB")
}

func TestModelPlanAndApplyPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()
		files := []modelFile{
			{"services.yaml", "services:\n  - {id: checkout, name: Checkout v2, kind: business-service, owner: payments-team, tier: 0,\n" +
				"     description: " + strings.Repeat("Takes orders. ", 10) + ", depends_on: [payments-api, {on: recommendations, impact: degraded}]}\n" +
				"  - {id: ledger, owner: payments-team, depends_on: [db-east]}\n"},
			{"more.yaml", "services: [{id: reports, description: " + strings.Repeat("long ", 30) + "}]\n"},
		}
		r := postModelForm(t, s, "/model/plan", files, nil)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r, "<h1>Review changes</h1>", "<code>services.yaml</code>, <code>more.yaml</code>",
			"<strong>2</strong> to create", "<strong>1</strong> to update", "<strong>0</strong> to delete", "<strong>0</strong> unchanged", "<strong>12</strong> kept",
			`<li class="plan-line plan-create">`, `<span class="plan-sign" title="create">&#43;</span> <span class="plan-kind">service</span> <span class="plan-id">ledger</span>`,
			`<span class="plan-sign" title="update">~</span> <span class="plan-kind">service</span> <a class="plan-id" href="/services/checkout">checkout</a>`,
			`<span class="plan-field">name:</span> <span class="plan-before"><code class="plan-val">&#34;Checkout&#34;</code></span> <span class="plan-arrow">-&gt;</span> <span class="plan-after"><code class="plan-val">&#34;Checkout v2&#34;</code></span>`,
			// A long value is cut, and whole in a <details>.
			`<li class="plan-field-long"><span class="plan-field">description:</span>`, `<span class="plan-before"><code class="plan-val">&#34;Takes orders and payments.&#34;</code></span>`,
			`<details class="plan-long"><summary><code class="plan-val">&#34;Takes orders. Takes orders.`, "…</code></summary><pre class=\"json\">&#34;Takes orders.",
			"Findings after applying", "Apply these changes")
		// Nothing changed yet.
		if svc, _ := db.FindServiceByID(ctx, "checkout"); svc.Name != "Checkout" {
			t.Fatalf("a plan changed the database: %q", svc.Name)
		}

		form := applyForm(t, r)
		if len(form["file.name"]) != 2 || form.Get("expect") == "" || form.Get("prune") != "" || !strings.Contains(form["file.content"][0], "Checkout v2") {
			t.Fatalf("apply form: %v", form)
		}
		done := postModelForm(t, s, "/model/apply", nil, form)
		wantStatus(t, done, http.StatusSeeOther)
		if loc := done.Header.Get("Location"); loc != "/model" {
			t.Fatalf("apply redirects to %q", loc)
		}
		req := httptest.NewRequest(http.MethodGet, "/model", nil)
		req.Header.Set("Cookie", strings.Split(done.Header.Get("Set-Cookie"), ";")[0])
		wantContains(t, serve(s, req), "Applied: 2 created, 1 updated, 0 deleted.")
		if svc, err := db.FindServiceByID(ctx, "checkout"); err != nil || svc.Name != "Checkout v2" {
			t.Errorf("after apply: %v %v", svc, err)
		}
		if _, err := db.FindServiceByID(ctx, "ledger"); err != nil {
			t.Errorf("ledger was not created: %v", err)
		}
	})
}

func TestModelApplyPageStale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		s := pageServer(t, db)
		ctx := context.Background()
		r := postModelForm(t, s, "/model/plan", nil, url.Values{"source": {"services: [{id: ledger, owner: payments-team}]\n"}})
		wantStatus(t, r, http.StatusOK)
		form := applyForm(t, r)
		if form.Get("file.name") != "pasted.yaml" {
			t.Fatalf("pasted YAML goes back as a file: %v", form)
		}
		// Someone creates the same service in between.
		if err := db.CreateService(ctx, &lifeboat.Service{ID: "ledger", Name: "Ledger", Owner: "platform-team"}); err != nil {
			t.Fatal(err)
		}
		stale := postModelForm(t, s, "/model/apply", nil, form)
		wantStatus(t, stale, http.StatusConflict)
		wantContains(t, stale, "The database changed after you reviewed the plan, so nothing was applied.",
			"<strong>0</strong> to create", "<strong>1</strong> to update", `<a class="plan-id" href="/services/ledger">ledger</a>`,
			`<span class="plan-field">owner:</span>`, "Apply these changes")
		if svc, _ := db.FindServiceByID(ctx, "ledger"); svc.Owner != "platform-team" {
			t.Fatalf("a stale apply changed the service: %+v", svc)
		}
		// The new plan applies.
		again := postModelForm(t, s, "/model/apply", nil, applyForm(t, stale))
		wantStatus(t, again, http.StatusSeeOther)
		if svc, _ := db.FindServiceByID(ctx, "ledger"); svc.Owner != "payments-team" {
			t.Errorf("after the second apply: %+v", svc)
		}
	})
}

func TestModelPlanPageRefused(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	seed(t, db)
	s := pageServer(t, db)
	// Pruning to one service would delete what it depends on.
	r := postModelForm(t, s, "/model/plan", []modelFile{{"model.yaml", "services: [{id: k8s-prod, depends_on: [primary-dc]}, {id: ledger, owner: ghosts}]\n"}},
		url.Values{"prune": {"1"}})
	wantStatus(t, r, http.StatusConflict)
	wantContains(t, r, "These files cannot be applied as they are", `pruning would delete`, `is owned by team &#34;ghosts&#34;`, "apply without prune")
	wantLacks(t, r, "Apply these changes", `action="/model/apply"`)

	r = postModelForm(t, s, "/model/plan", []modelFile{{"model.yaml", "services: [{id: ledger, depends_on: [ghost]}]\n"}}, nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r, `service &#34;ledger&#34; depends on &#34;ghost&#34;, which is neither in the model nor in the database`, "Add the missing objects")
	wantLacks(t, r, "Apply these changes")

	// A viewer may look, not upload.
	viewer := "Bearer " + tokenUser(t, db, "vera", lifeboat.RoleViewer)
	r = postModelForm(t, s, "/model/plan", []modelFile{{"model.yaml", "services: []\n"}}, nil, "Authorization", viewer)
	wantStatus(t, r, http.StatusForbidden)
	// And a form from another site is refused before it is read.
	req := httptest.NewRequest(http.MethodPost, "/model/apply", strings.NewReader(""))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if got := serve(s, req); got.Status != http.StatusForbidden {
		t.Errorf("cross-site apply = %d, want 403", got.Status)
	}
}
