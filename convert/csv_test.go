package convert

import (
	"errors"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

func TestCSV(t *testing.T) {
	tests := []struct {
		name     string
		csv      string
		opts     CSVOptions
		services []string // id kind owner tier
		edges    []string
		warnings []string // fragments, one warning each
	}{{
		name: "default columns",
		csv: "id,name,kind,owner,tier,depends_on,description,tags\n" +
			"shop,Web shop,Business Service,Sales,Tier 1,web;db,Sells things,customer-facing;PCI DSS\n" +
			"web,Web app,Application,Web Team,1,db,,\n" +
			"db,Orders DB,Database,DBA,0,,,\n",
		services: []string{"db data-store dba 0", "shop business-service sales 1", "web application web-team 1"},
		edges:    []string{"shop -> db", "shop -> web", "web -> db"},
	}, {
		name: "synonyms, whatever the case",
		csv: "id,kind\n" + "a,SERVER\n" + "b,virtual machine\n" + "c,Data Center\n" + "d,load balancer\n" + "e,SaaS\n" +
			"f,database_instance\n" + "g,business-service\n" + "h,\n" + "i,Widget\n",
		services: []string{"a infrastructure  -", "b infrastructure  -", "c site  -", "d network  -", "e vendor  -",
			"f data-store  -", "g business-service  -", "h application  -", "i other  -"},
		warnings: []string{`row 10: kind "Widget" is not known; the service is of kind other`},
	}, {
		name: "columns mapped by options, another delimiter and separator",
		csv: "CI Name;Class;Support Group;Uses\n" + "CRM;Business Service;Sales IT;CRM App|CRM DB\n" +
			"CRM App;Application;Sales IT;crm db\n" + "CRM DB;Database;DBA;\n",
		opts:     CSVOptions{Name: "ci name", Kind: "CLASS", Owner: "Support-Group", DependsOn: "uses", Delimiter: ';', Separator: "|"},
		services: []string{"crm business-service sales-it -", "crm-app application sales-it -", "crm-db data-store dba -"},
		edges:    []string{"crm -> crm-app", "crm -> crm-db", "crm-app -> crm-db"},
	}, {
		name: "bad rows",
		csv: "\uFEFFid,name,kind,tier,depends_on\n" +
			"a,A,application,7,b;ghost;a\n" + // a self-reference and an unknown one
			"b,B,application,high\n" + // too few cells, a bad tier
			"a,A again\n" + // a duplicate
			",,,,\n" + // a blank spreadsheet line
			",---\n" + // no usable id
			"b?,B again,application,,,extra\n" + // the id of b once made valid, and too many cells
			",,application,1,a\n", // neither id nor name
		services: []string{"a application  7", "b application  -", "b-2 application  -"},
		edges:    []string{"a -> b"},
		warnings: []string{
			`row 2: depends on "ghost", which no row has as id or name`,
			`row 2: depends on itself ("a"); left out`,
			`row 3: has 4 cells, the header 5`,
			`row 3: tier "high" is not a tier from 0 to 9; left out`,
			`row 4: has 2 cells, the header 5`,
			`row 4: "a" is already on row 2; this row is left out`,
			`row 6: has 2 cells, the header 5`,
			`row 6: "---" makes no id`,
			`row 7: has 6 cells, the header 5`,
			`row 7: id "b" is already that of row 3; this row gets id "b-2"`,
			`row 8: has neither an id nor a name`,
		},
	}, {
		name:     "ids made from names",
		csv:      "name,depends_on\n" + "Mail Server,Exchange\n" + "Exchange,mail-server\n",
		services: []string{"exchange application  -", "mail-server application  -"},
		edges:    []string{"exchange -> mail-server", "mail-server -> exchange"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CSV(Input{Name: "cmdb.csv", Data: []byte(tt.csv)}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			m := mustLoad(t, r)
			equal(t, "services", describeServices(m), tt.services)
			equal(t, "edges", edges(m), tt.edges)
			wantWarnings(t, r, len(tt.warnings), tt.warnings...)
		})
	}
}

func describeServices(m *lifeboat.Model) []string {
	var out []string
	for _, s := range m.Services {
		tier := "-"
		if s.Tier != nil {
			tier = string(rune('0' + *s.Tier))
		}
		out = append(out, strings.Join([]string{s.ID, string(s.Kind), s.Owner, tier}, " "))
	}
	return out
}

func TestCSVDetails(t *testing.T) {
	r, err := CSV(Input{Name: "cmdb.csv", Data: []byte("id,name,owner,description,tags\nCRM-01,,Sales Team,\"Two\nlines\",Customer; PCI DSS\n")}, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t, r)
	s := service(t, m, "crm-01")
	if s.Name != "CRM-01" || s.Description != "Two\nlines" || strings.Join(s.Tags, ",") != "customer,pci-dss" {
		t.Errorf("crm-01: name %q, description %q, tags %v", s.Name, s.Description, s.Tags)
	}
	if len(m.Teams) != 1 || m.Teams[0].ID != "sales-team" || m.Teams[0].Name != "Sales Team" {
		t.Errorf("teams: %+v", m.Teams)
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		opts      CSVOptions
		line      int
		msg       string
	}{
		{"empty", "", CSVOptions{}, 0, "the file is empty"},
		{"open quote", "id,name\na,\"b\nc,d\n", CSVOptions{}, 2, `not valid CSV: extraneous or missing " in quoted-field (the record starts on line 2, the problem is on line 3)`},
		{"quote in a field", "id,name\na,b\"c\n", CSVOptions{}, 2, `not valid CSV: bare " in non-quoted-field`},
		{"no id or name", "class,owner\nx,y\n", CSVOptions{}, 1, `no id or name column (see --id and --name); the columns are "class", "owner"`},
		{"missing column", "id,name\na,b\n", CSVOptions{Owner: "Support Group"}, 1, `--owner: no column "Support Group"`},
		{"bad delimiter", "id\na\n", CSVOptions{Delimiter: '"'}, 0, "not valid CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CSV(Input{Name: "cmdb.csv", Data: []byte(tt.csv)}, tt.opts)
			var e *Error
			if !errors.As(err, &e) || e.File != "cmdb.csv" || e.Line != tt.line || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("err %v, want cmdb.csv:%d: ...%s...", err, tt.line, tt.msg)
			}
		})
	}
}
