package sqldb_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/gen"
	"github.com/lifeboat-itscm/lifeboat/model"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// TestImportExportRoundTrip imports a generated model with every field in
// use, exports it, imports the files into a second database and exports
// again: the files must be identical and say what the model said.
func TestImportExportRoundTrip(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			m := gen.Model(11, sqldb.BulkThreshold+1000) // large enough for the bulk path
			want := encodeModel(t, normalized(m))
			first := dbtest.Open(t, name)
			counts, err := first.ImportModel(ctx, m, lifeboat.ImportSource{Files: []lifeboat.SourceFile{{Path: "gen.yaml", SHA256: "00"}}})
			if err != nil {
				t.Fatal(err)
			}
			if counts != m.Counts() {
				t.Errorf("counts %+v, want %+v", counts, m.Counts())
			}
			dir1, dir2 := t.TempDir(), t.TempDir()
			exported := exportTo(t, first, dir1)
			if got := encodeModel(t, exported); !bytes.Equal(got, want) {
				t.Fatalf("the database changed the model:\n%s", firstDiff(want, got))
			}
			back, src, err := model.Load(dir1)
			if err != nil {
				t.Fatal(err)
			}
			second := dbtest.Open(t, name)
			if _, err := second.ImportModel(ctx, back, lifeboat.ImportSource{Files: src.Files}); err != nil {
				t.Fatal(err)
			}
			exportTo(t, second, dir2)
			sameTrees(t, dir1, dir2)
		})
	}
}

func normalized(m *lifeboat.Model) *lifeboat.Model {
	m.Normalize()
	return m
}

func exportTo(t *testing.T, db *sqldb.DB, dir string) *lifeboat.Model {
	t.Helper()
	m, err := db.FindModel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.Write(dir, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameTrees fails unless two folders hold the same files, byte for byte.
func sameTrees(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		out := map[string][]byte{}
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, path)
				out[rel], _ = os.ReadFile(path)
			}
			return err
		})
		return out
	}
	fa, fb := files(a), files(b)
	if len(fa) != len(fb) || len(fa) == 0 {
		t.Fatalf("%d files against %d", len(fa), len(fb))
	}
	for name, content := range fa {
		if !bytes.Equal(content, fb[name]) {
			t.Errorf("%s differs:\n%s", name, firstDiff(content, fb[name]))
		}
	}
}

func encodeModel(t *testing.T, m *lifeboat.Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := model.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "one is a prefix of the other"
}

func TestImportRefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		base, _, err := model.Parse("base.yaml", []byte(`
teams: [{id: ops, members: [ann]}]
people: [{id: ann}]
services: [{id: db, owner: ops}]
`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportModel(ctx, base, lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, doc, code string
			want            []string
		}{
			{"existing ids", "services: [{id: db}, {id: fresh}]\nteams: [{id: ops}]\n", lifeboat.ECONFLICT,
				[]string{`a service "db" already`, `a team "ops" already`, "use apply"}},
			{"dangling", "services: [{id: app, owner: nobody, depends_on: [db, ghost]}]\nrisks: [{id: r, affects: [app], owner: zed}]\n", lifeboat.EINVALID,
				[]string{`service "app" depends on "ghost", which is neither in the model nor in the database`,
					`service "app" is owned by team "nobody"`, `risk "r" is owned by "zed"`}},
			{"bia twice", "bia: [{service: db}]\n", "", nil},
			{"bia again", "bia: [{service: db}]\n", lifeboat.ECONFLICT, []string{`a BIA for service "db" already`}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m, _, err := model.Parse("x.yaml", []byte(tc.doc))
				if err != nil {
					t.Fatal(err)
				}
				_, err = db.ImportModel(ctx, m, lifeboat.ImportSource{})
				if lifeboat.ErrorCode(err) != tc.code {
					t.Fatalf("code %q, want %q: %v", lifeboat.ErrorCode(err), tc.code, err)
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
			})
		}
		// Nothing of a refused import is stored.
		if _, err := db.FindServiceByID(ctx, "fresh"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("fresh was stored: %v", err)
		}
		if _, err := db.FindServiceByID(ctx, "app"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("app was stored: %v", err)
		}
		entries, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].Action != lifeboat.AuditImport || !strings.Contains(string(entries[1].After), `"services":1`) {
			t.Errorf("two imports, one entry each: %+v", entries)
		}
	})
}

func TestApplyModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		apply := func(doc string, opts lifeboat.ApplyOptions) (*lifeboat.Plan, error) {
			t.Helper()
			m, _, err := model.Parse("x.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			return db.ApplyModel(ctx, m, opts)
		}
		v1 := `
people: [{id: ann}, {id: bob}]
teams: [{id: ops, members: [ann, bob]}]
services:
  - {id: site, kind: site, owner: ops}
  - {id: db, kind: data-store, owner: ops, depends_on: [site]}
  - {id: app, owner: ops, depends_on: [db, {on: site, type: hosted-in}]}
bia: [{service: app, rpo: 5m, impacts: [{after: 4h, ratings: {financial: 4}, loss: 1000}]}]
risks: [{id: fire, affects: [site], owner: ann, likelihood: 2, impact: 5}]
impact_scale: {currency: EUR}
`
		plan, err := apply(v1, lifeboat.ApplyOptions{DryRun: true})
		if err != nil || plan.Create != 9 || plan.Applied {
			t.Fatalf("dry run: %+v, %v", plan, err)
		}
		if m, _ := db.FindModel(ctx); len(m.Services) != 0 {
			t.Fatal("a dry run changed the database")
		}
		if plan, err = apply(v1, lifeboat.ApplyOptions{}); err != nil || plan.Create != 9 || !plan.Applied {
			t.Fatalf("apply: %+v, %v", plan, err)
		}
		if plan, err = apply(v1, lifeboat.ApplyOptions{}); err != nil || !plan.Empty() || plan.Unchanged != 9 {
			t.Fatalf("a second apply changes nothing: %+v, %v", plan, err)
		}

		// v2 renames a service and gives it to a new team, drops bob from
		// ops and leaves the risk out.
		v2 := strings.NewReplacer("{id: app, owner: ops,", "{id: app, name: The app, owner: web,",
			"members: [ann, bob]", "members: [ann]}, {id: web", "risks: [{id: fire, affects: [site], owner: ann, likelihood: 2, impact: 5}]", "").Replace(v1)
		plan, err = apply(v2, lifeboat.ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := planLines(plan); got != "update team ops [members]; create team web; update service app [name owner]" || plan.Kept != 1 {
			t.Errorf("plan without prune: %s, kept %d", got, plan.Kept)
		}
		plan, err = apply(v2, lifeboat.ApplyOptions{Prune: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := planLines(plan); got != "delete risk fire" {
			t.Errorf("plan with prune: %s", got)
		}
		app, err := db.FindServiceByID(ctx, "app")
		if err != nil || app.Name != "The app" || app.Owner != "web" || app.Version != 2 {
			t.Errorf("app after apply: %+v, %v", app, err)
		}

		// Pruning what others need is refused, and nothing changes.
		v3 := strings.NewReplacer("  - {id: site, kind: site, owner: ops}\n", "", "risks", "x").Replace(v2)
		_, err = apply(v3, lifeboat.ApplyOptions{Prune: true})
		if lifeboat.ErrorCode(err) != lifeboat.ECONFLICT || !strings.Contains(err.Error(), `pruning would delete service "site", but service "app" depends on "site"`) {
			t.Errorf("prune of a needed service: %v", err)
		}
		if _, err := db.FindServiceByID(ctx, "site"); err != nil {
			t.Errorf("the refused plan deleted site: %v", err)
		}
		_, err = apply("services: [{id: lone, depends_on: [ghost]}]\n", lifeboat.ApplyOptions{})
		if lifeboat.ErrorCode(err) != lifeboat.EINVALID || !strings.Contains(err.Error(), `"ghost", which is neither in the model nor in the database`) {
			t.Errorf("a reference to nothing: %v", err)
		}

		// Every change is in the audit trail, with the object before it.
		entries, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Kind: lifeboat.ObjService, Subject: "app", Limit: 10})
		if err != nil || len(entries) != 2 || entries[0].Action != lifeboat.AuditUpdate || !strings.Contains(string(entries[0].Before), `"owner":"ops"`) {
			t.Errorf("audit of app: %+v, %v", entries, err)
		}
	})
}

// planLines sums a plan up as "action kind id [fields]; ...".
func planLines(p *lifeboat.Plan) string {
	var lines []string
	for _, c := range p.Changes {
		line := c.Action + " " + c.Kind + " " + c.ID
		if len(c.Fields) > 0 {
			var fields []string
			for _, f := range c.Fields {
				fields = append(fields, f.Field)
			}
			line += " [" + strings.Join(fields, " ") + "]"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "; ")
}

func TestDeleteRefusesWhatTheModelNeeds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m, _, err := model.Parse("x.yaml", []byte(`
people: [{id: ann}]
services: [{id: site}, {id: app}]
bia: [{service: app}]
risks: [{id: fire, affects: [site], owner: ann}]
`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportModel(ctx, m, lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			err  error
			want string
		}{
			{db.DeleteService(ctx, "app", 0), `service "app" cannot be deleted: it has a BIA`},
			{db.DeleteService(ctx, "site", 0), `service "site" cannot be deleted: risk fire names it`},
			{db.DeletePerson(ctx, "ann", 0), `person "ann" cannot be deleted: they own risk fire`},
		} {
			if lifeboat.ErrorCode(tc.err) != lifeboat.ECONFLICT || !strings.Contains(tc.err.Error(), tc.want) {
				t.Errorf("got %v, want %q", tc.err, tc.want)
			}
		}
	})
}

// TestLargeImport imports enough services for the bulk path, which drops
// indexes (and on PostgreSQL foreign keys) and builds them again: they
// must all be back, and still refuse what they refused before.
func TestLargeImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		before, err := sqldb.SecondaryForTest(ctx, db)
		if err != nil || len(before) < 9 {
			t.Fatalf("secondary objects %v, %v", before, err)
		}
		m := &lifeboat.Model{Teams: gen.Teams(10), Services: gen.Catalog(5, sqldb.BulkThreshold+100, 10, gen.Layered)}
		if _, err := db.ImportModel(ctx, m, lifeboat.ImportSource{}); err != nil {
			t.Fatal(err)
		}
		after, err := sqldb.SecondaryForTest(ctx, db)
		if err != nil || strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Fatalf("built again:\n%s\nbefore:\n%s\n%v", strings.Join(after, "\n"), strings.Join(before, "\n"), err)
		}
		st, err := db.ServiceStats(ctx)
		if err != nil || st.Total != len(m.Services) {
			t.Fatalf("stats %+v, %v", st, err)
		}
		err = sqldb.ExecForTest(ctx, db, `INSERT INTO dependencies (service_id, position, target_id, impact) VALUES ($1, 99, 'ghost', 'down')`, m.Services[0].ID)
		if err == nil {
			t.Error("the foreign key from dependencies to services is gone")
		}
		page, err := db.FindServices(ctx, lifeboat.ServiceFilter{Sort: lifeboat.SortByName, Limit: 5})
		if err != nil || len(page.Services) != 5 {
			t.Errorf("a catalog page after the import: %v", err)
		}
	})
}

// TestApplyExpect applies a reviewed plan only while it is still the plan.
func TestApplyExpect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		m, _, err := model.Parse("x.yaml", []byte("services: [{id: a}, {id: b}]\n"))
		if err != nil {
			t.Fatal(err)
		}
		reviewed, err := db.ApplyModel(ctx, m, lifeboat.ApplyOptions{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		// Someone creates b meanwhile: the plan is now one create, not two.
		if err := db.CreateService(ctx, &lifeboat.Service{ID: "b"}); err != nil {
			t.Fatal(err)
		}
		plan, err := db.ApplyModel(ctx, m, lifeboat.ApplyOptions{Expect: reviewed.Digest})
		if lifeboat.ErrorCode(err) != lifeboat.ESTALE || plan == nil || plan.Create != 1 || plan.Applied {
			t.Fatalf("a changed plan is refused and returned: %+v, %v", plan, err)
		}
		if _, err := db.FindServiceByID(ctx, "a"); lifeboat.ErrorCode(err) != lifeboat.ENOTFOUND {
			t.Errorf("the refused apply created a: %v", err)
		}
		plan, err = db.ApplyModel(ctx, m, lifeboat.ApplyOptions{Expect: plan.Digest})
		if err != nil || !plan.Applied || plan.Create != 1 {
			t.Errorf("the reviewed plan applies: %+v, %v", plan, err)
		}
	})
}

// TestMigrateKeepsTheCatalog migrates a database that holds a catalog from
// the schema before the link tables lost their rowid to the newest one.
func TestMigrateKeepsTheCatalog(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, err := sqldb.Open(ctx, dbtest.URL(t, name))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := sqldb.MigrateToForTest(ctx, db, 5); err != nil {
				t.Fatal(err)
			}
			m, _, err := model.Parse("x.yaml", []byte(`
people: [{id: ann}, {id: bob}]
teams: [{id: ops, members: [bob, ann]}]
services:
  - {id: a, owner: ops, tags: [x, y]}
  - {id: b, depends_on: [a, {any_of: [c, d], min_up: 1, impact: degraded}]}
  - {id: d}
  - {id: c}
`))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ImportModel(ctx, m, lifeboat.ImportSource{}); err != nil {
				t.Fatal(err)
			}
			want := encodeModel(t, normalized(m))
			if err := sqldb.MigrateToForTest(ctx, db, 0); err != nil {
				t.Fatal(err)
			}
			got, err := db.FindModel(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if g := encodeModel(t, got); !bytes.Equal(g, want) {
				t.Errorf("the migration changed the model:\n%s", firstDiff(want, g))
			}
			deps, err := db.FindDependents(ctx, "c")
			if err != nil || len(deps) != 1 || deps[0].ServiceID != "b" {
				t.Errorf("dependents of c after the migration: %+v, %v", deps, err)
			}
			if err := db.DeleteService(ctx, "b", 0); err != nil {
				t.Errorf("deleting b and its group cascades: %v", err)
			}
		})
	}
}
