package model

import "strings"

// The documents the schema and the loader are tried on. The first ones are
// the examples of the format contract, with every key it names.

const formatServices = `
services:
  - id: checkout                 # required
    name: Checkout               # default: the id
    kind: application
    owner: payments-team         # a team id
    tier: 1                      # recovery tier id; derived from the BIA when absent
    tags: [pci, customer-facing]
    description: Takes orders and payments.
    objectives:                  # what the business requires (the "requested" values)
      rto: 4h
      rpo: 15m
      mtpd: 24h
    recovery:                    # what IT can deliver today (the "committed" capability)
      time: 2h                   # time needed to restore this service once its dependencies are up
      data_loss: 5m              # worst-case data loss, e.g. backup or replication interval
    depends_on:
      - payments-api             # hard dependency: down when it is down
      - on: recommendations
        impact: degraded         # soft dependency: degraded, not down, when it is down
      - on: primary-dc
        type: hosted-in          # free-form relationship type: uses | runs-on | hosted-in | provided-by ...
        workaround: 8h           # a manual workaround can cover this dependency for up to 8h
      - any_of: [db-east, db-west]
        min_up: 1                # redundancy group: down only when fewer than min_up members are up
  - id: payment-gateway
    kind: vendor
    contract:                    # vendors only: what the contract guarantees
      rto: 8h
      rpo: 1h
      reference: MSA-2024-17
`

// formatServicesAsWritten is the services example exactly as the contract
// writes it: one application with every key, a contract included. The
// loader refuses a contract on anything but a vendor, and so does the
// schema; formatServices moves the contract to a vendor.
const formatServicesAsWritten = `
services:
  - id: checkout
    name: Checkout
    kind: application
    owner: payments-team
    tier: 1
    tags: [pci, customer-facing]
    description: Takes orders and payments.
    objectives: {rto: 4h, rpo: 15m, mtpd: 24h}
    recovery: {time: 2h, data_loss: 5m}
    contract:
      rto: 8h
      rpo: 1h
      reference: MSA-2024-17
    depends_on: [payments-api]
`

const formatTeamsPeople = `
teams:
  - id: payments-team
    name: Payments
    members: [alice, bob]
people:
  - id: alice
    name: Alice Martin
    email: alice@example.com
    phone: "+1 555 0100"
`

const formatScale = `
impact_scale:                    # optional; these are the defaults
  categories: [financial, operational, customer, reputational, legal, safety]
  ratings:                       # ordered from least to most severe
    - {level: 1, name: minimal}
    - {level: 2, name: minor}
    - {level: 3, name: moderate}
    - {level: 4, name: major, intolerable: true}
    - {level: 5, name: severe, intolerable: true}
  tiers:                         # a tier promises recovery within max_rto
    - {id: 0, name: mission-critical, max_rto: 1h}
    - {id: 1, name: critical, max_rto: 4h}
    - {id: 2, name: important, max_rto: 24h}
    - {id: 3, name: standard, max_rto: 72h}
    - {id: 4, name: deferrable, max_rto: 1w}
`

const formatBIA = `
bia:
  - service: checkout
    impacts:                     # impact once the disruption has lasted ` + "`after`" + `
      - {after: 1h, ratings: {financial: 2, customer: 3}, loss: 20000}
      - {after: 4h, ratings: {financial: 3, customer: 4}, loss: 150000}
      - {after: 1d, ratings: {financial: 5, customer: 5, reputational: 4}, loss: 2000000}
    work_recovery_time: 1h       # WRT: time to verify data and clear the backlog after restore
    rpo: 15m
    mbco: Orders accepted by phone at 20% of normal volume
`

const formatRisks = `
risks:
  - id: dc-fire
    title: Fire in the primary data center
    threat: fire
    affects: [primary-dc]
    owner: alice
    likelihood: 2                # qualitative, 1..5
    impact: 5                    # qualitative, 1..5
    treatment: mitigate          # mitigate | accept | transfer | avoid
    quant:                       # optional quantitative model
      frequency: 0.05            # expected events per year (Poisson rate)
      loss: {low: 1000000, high: 20000000}   # 90% interval of the loss per event (lognormal)
`

// extensions are the keys Lifeboat adds to the contract.
const extensions = `
version: 1
impact_scale:
  currency: EUR
teams:
  - id: ops
    description: Runs the platform around the clock.
services:
  - id: legacy-crm
    lifecycle: deprecated
risks:
  - id: ransomware
    description: Encryption of the file servers by an intruder.
bia:
  - service: legacy-crm
    impacts: [{after: 1h, ratings: {financial: 2}}]
    peak_periods:
      - name: Month-end close
        when: last 3 business days of each month
        factor: 2.5
      - {name: Christmas, when: 1 to 24 December, months: [12, 11, 12]}
    resources:
      people: [{role: Sales clerk, count: 4}]
      systems: [legacy-crm, legacy-crm]
      facilities: [Head office, first floor]
      suppliers: [crm-vendor]
      vital_records: ["Customer contracts, signed originals"]
    notes: |
      Workshop of **2026-03-12** with sales.

      - the CRM is read-only during the close
    review:
      status: approved
      approved_by: ann
      approved_at: 2026-05-01T09:30:00+02:00
      interval_months: 6
`

var validDocuments = []struct {
	name     string
	yaml     string
	exported bool // part of the full model that TestSchemaAcceptsWhatLifeboatWrites writes out
}{
	{"format services", formatServices, true},
	{"format teams and people", formatTeamsPeople, true},
	{"format impact scale and BIA", formatScale + formatBIA, false},
	{"format BIA", formatBIA, true},
	{"format risks", formatRisks, true},
	{"extensions", extensions, true},
	{"all examples in one file", "version: 1\n" + formatServices + formatTeamsPeople + formatScale + formatBIA + formatRisks, false},
	{"documents in one file", "---\n" + formatServices + "---\n" + formatTeamsPeople + "---\n" + formatRisks, false},
	{"empty file", "", false},
	{"comments only", "# nothing yet\n", false},
	{"empty document", "---\n...\n", false},
	{"version quoted", `version: "1"`, false},
	{"minimal objects", `
services: [{id: a}]
teams: [{id: t}]
people: [{id: p}]
bia: [{service: a}]
risks: [{id: r}]
impact_scale: {}
`, false},
	{"durations in every form", `
services:
  - id: a
    objectives: {rto: 3600, rpo: "900", mtpd: 1d}
    tier: 0
    recovery: {time: 1w2d3h4m5s, data_loss: 0s}
    depends_on:
      - {on: b, workaround: 0012h}
`, false},
	{"bounds", `
services:
  - {id: a, tier: 0}
  - {id: b, tier: 9, depends_on: [{any_of: [c, d], min_up: 2}]}
  - {id: c, depends_on: [{any_of: [d], min_up: 0}]}
risks:
  - {id: r, likelihood: 0, impact: 0, quant: {frequency: 0, loss: {low: 0.5, high: 0.5}}}
  - {id: s, likelihood: 5, impact: 5, quant: {frequency: 1000000, loss: {low: 1, high: 1000000000000000}}}
impact_scale:
  ratings: [{level: 1, name: low}, {level: 100, name: high, intolerable: false}]
  tiers: [{id: 0, name: fast, max_rto: 1h}, {id: 9, name: slow, max_rto: 1h}]
`, false},
	{"custom categories", `
impact_scale:
  categories: [money, patients]
bia:
  - service: ward
    impacts: [{after: 30m, ratings: {money: 1, patients: 4}, loss: 0}]
`, false},
	{"anchors and merge keys", `
services:
  - id: a
    objectives: &gold {rto: 1h, rpo: 5m}
    depends_on: &deps [db]
  - id: b
    objectives: *gold
    depends_on: *deps
  - &base {id: c, kind: data-store, owner: dba}
  - <<: *base
    id: d
`, false},
	{"every kind and lifecycle", `
services:
  - {id: a, kind: business-service, lifecycle: planned}
  - {id: b, kind: application, lifecycle: active}
  - {id: c, kind: data-store, lifecycle: deprecated}
  - {id: d, kind: infrastructure, lifecycle: retired}
  - {id: e, kind: network}
  - {id: f, kind: site}
  - {id: g, kind: vendor}
  - {id: h, kind: other}
risks:
  - {id: r1, treatment: mitigate}
  - {id: r2, treatment: accept}
  - {id: r3, treatment: transfer}
  - {id: r4, treatment: avoid}
`, false},
	{"every review status", `
bia:
  - {service: a, review: {status: draft}}
  - {service: b, review: {status: in-review, interval_months: 24}}
  - {service: c, review: {status: approved, approved_by: p, approved_at: "2026-05-01T09:00:00.250Z"}}
  - {service: d, review: {interval_months: 0}}
`, false},
	{"peak period bounds", `
bia:
  - service: a
    peak_periods:
      - {name: x, when: y, months: [1, 12], factor: 1}
      - {name: z, when: w, factor: 100}
    resources: {people: [{role: r, count: 1000000}]}
`, false},
	{"ids at the edges", "services:\n  - id: \"0\"\n  - id: a._-9\n  - id: " + strings.Repeat("x", 128) + "\n", false},
}

// invalidDocuments are refused by both; loader is part of the loader's
// message, to be sure it refuses them for the reason the case is about.
var invalidDocuments = []struct {
	name, yaml, loader string
}{
	{"contract example as written", formatServicesAsWritten, "only vendors have a contract"},
	{"unknown top-level key", "servics: []", `unknown key "servics"`},
	{"unknown service key", "services: [{id: a, nmae: A}]", `unknown key "nmae"`},
	{"unknown dependency key", "services: [{id: a, depends_on: [{on: b, via: c}]}]", `unknown key "via"`},
	{"unknown key in a rating", "impact_scale: {ratings: [{level: 1, name: a, colour: red}]}", `unknown key "colour"`},
	{"unknown key in a loss range", "risks: [{id: r, quant: {frequency: 1, loss: {low: 1, high: 2, mode: 1}}}]", `unknown key "mode"`},
	{"not a mapping", "- a\n- b\n", "a model file is a mapping"},
	{"text", "hello", "a model file is a mapping"},
	{"services as a mapping", "services: {id: a}", "want a list"},
	{"a service as text", "services: [a]", "want a mapping"},
	{"name as a number", "services: [{id: a, name: 12}]", "want text"},
	{"id as a number", "services: [{id: 12}]", "want text"},
	{"tier as text", `services: [{id: a, tier: "1"}]`, "want a whole number"},
	{"tier as a fraction", "services: [{id: a, tier: 1.5}]", "want a whole number"},
	{"tags as text", "services: [{id: a, tags: pci}]", "want a list"},
	{"members as text", "teams: [{id: t, members: alice}]", "want a list"},
	{"intolerable as text", "impact_scale: {ratings: [{level: 1, name: a, intolerable: yes}]}", "want true or false"},
	{"frequency as text", `risks: [{id: r, quant: {frequency: "often", loss: {low: 1, high: 2}}}]`, "want a number"},
	{"ratings as a list", "bia: [{service: a, impacts: [{after: 1h, ratings: [1, 2]}]}]", "want a mapping"},
	{"rating as text", "bia: [{service: a, impacts: [{after: 1h, ratings: {financial: high}}]}]", "want a whole number"},
	{"impact scale empty", "impact_scale:", "want a mapping"},
	{"text left empty", "services: [{id: a, owner: }]", "want text, got nothing"},
	{"dependency as a number", "services: [{id: a, depends_on: [12]}]", "a service id or a mapping"},
	{"duration with a space", "services: [{id: a, objectives: {rto: 4 hours}}]", "invalid duration"},
	{"duration upper case", "services: [{id: a, objectives: {rto: 4H}}]", "unknown unit"},
	{"duration unit missing", "services: [{id: a, objectives: {rto: 4h30}}]", "invalid duration"},
	{"duration unit first", "services: [{id: a, recovery: {time: h4}}]", "invalid duration"},
	{"duration negative", "services: [{id: a, recovery: {time: -5}}]", "must not be negative"},
	{"duration negative text", "services: [{id: a, recovery: {time: -5m}}]", "invalid duration"},
	{"duration with a sign", `services: [{id: a, recovery: {time: "+3600"}}]`, "invalid duration"},
	{"duration fraction", "bia: [{service: a, impacts: [{after: 1.5}]}]", "want a duration"},
	{"duration of seconds too long", "bia: [{service: a, rpo: 3153600001}]", "longer than 100 years"},
	{"duration as a list", "bia: [{service: a, rpo: [1h]}]", "want a duration"},
	{"id upper case", "services: [{id: Checkout}]", "not a valid id"},
	{"id with a space", "teams: [{id: payments team}]", "not a valid id"},
	{"id starting with a dash", "people: [{id: -alice}]", "not a valid id"},
	{"id too long", "risks: [{id: " + strings.Repeat("x", 129) + "}]", "not a valid id"},
	{"owner not an id", "services: [{id: a, owner: Payments Team}]", "not a valid team id"},
	{"bad dependency id", "services: [{id: a, depends_on: [DB]}]", "not a valid service id"},
	{"bad group member", "services: [{id: a, depends_on: [{any_of: [b, C]}]}]", "not a valid service id"},
	{"bad tag", "services: [{id: a, tags: [PCI]}]", "not a valid tag"},
	{"bad member", "teams: [{id: t, members: [Alice]}]", "not a valid person id"},
	{"bad affected service", "risks: [{id: r, affects: [Primary DC]}]", "not a valid service id"},
	{"bad BIA service", "bia: [{service: Checkout}]", "not a valid service id"},
	{"bad category", "impact_scale: {categories: [Money]}", "not a valid category"},
	{"service without id", "services: [{name: A}]", "id is required"},
	{"team without id", "teams: [{name: T}]", "id is required"},
	{"person without id", "people: [{email: a@example.com}]", "id is required"},
	{"risk without id", "risks: [{title: R}]", "id is required"},
	{"BIA without service", "bia: [{rpo: 1h}]", "service is required"},
	{"rating without name", "impact_scale: {ratings: [{level: 1}]}", "name is required"},
	{"rating without level", "impact_scale: {ratings: [{name: low}]}", "level is required"},
	{"tier without max_rto", "impact_scale: {tiers: [{id: 0, name: fast}]}", "max_rto is required"},
	{"impact point without after", "bia: [{service: a, impacts: [{loss: 1}]}]", "after is required"},
	{"quant without loss", "risks: [{id: r, quant: {frequency: 1}}]", "loss is required"},
	{"loss without high", "risks: [{id: r, quant: {frequency: 1, loss: {low: 1}}}]", "high is required"},
	{"version 2", "version: 2", "format version 1"},
	{"version 2 quoted", `version: "2"`, "format version 1"},
	{"version 1.1", "version: 1.1", "format version 1"},
	{"version empty", "version:", "format version 1"},
	{"bad kind", "services: [{id: a, kind: database}]", "not a kind"},
	{"bad lifecycle", "services: [{id: a, lifecycle: dead}]", "not a lifecycle stage"},
	{"bad impact", "services: [{id: a, depends_on: [{on: b, impact: partial}]}]", "not an impact"},
	{"bad treatment", "risks: [{id: r, treatment: ignore}]", "not a treatment"},
	{"tier too high", "services: [{id: a, tier: 10}]", "tier must be between 0 and 9"},
	{"tier negative", "services: [{id: a, tier: -1}]", "tier must be between 0 and 9"},
	{"scale tier too high", "impact_scale: {tiers: [{id: 10, name: x, max_rto: 1h}]}", "between 0 and 9"},
	{"rating level 0", "impact_scale: {ratings: [{level: 0, name: x}]}", "between 1 and 100"},
	{"rating level 101", "impact_scale: {ratings: [{level: 101, name: x}]}", "between 1 and 100"},
	{"rating name empty", `impact_scale: {ratings: [{level: 1, name: ""}]}`, "name the rating"},
	{"likelihood 6", "risks: [{id: r, likelihood: 6}]", "rated from 1 to 5"},
	{"impact negative", "risks: [{id: r, impact: -1}]", "rated from 1 to 5"},
	{"frequency negative", "risks: [{id: r, quant: {frequency: -1, loss: {low: 1, high: 2}}}]", "events per year"},
	{"frequency too high", "risks: [{id: r, quant: {frequency: 1000001, loss: {low: 1, high: 2}}}]", "events per year"},
	{"loss low 0", "risks: [{id: r, quant: {frequency: 1, loss: {low: 0, high: 2}}}]", "above 0"},
	{"loss high too high", "risks: [{id: r, quant: {frequency: 1, loss: {low: 1, high: 1000000000000001}}}]", "at most 10^15"},
	{"BIA loss negative", "bia: [{service: a, impacts: [{after: 1h, loss: -1}]}]", "must not be negative"},
	{"group empty", "services: [{id: a, depends_on: [{any_of: []}]}]", "name the service"},
	{"group too big", "services: [{id: a, depends_on: [{any_of: [" + members(65) + "]}]}]", "at most 64 members"},
	{"min_up too high", "services: [{id: a, depends_on: [{any_of: [" + members(64) + "], min_up: 65}]}]", "min_up must be between"},
	{"min_up negative", "services: [{id: a, depends_on: [{any_of: [b, c], min_up: -1}]}]", "min_up must be between"},
	{"on and any_of", "services: [{id: a, depends_on: [{on: b, any_of: [c, d]}]}]", "either on or any_of"},
	{"neither on nor any_of", "services: [{id: a, depends_on: [{impact: degraded}]}]", "name the service"},
	{"min_up without a group", "services: [{id: a, depends_on: [{on: b, min_up: 2}]}]", "min_up belongs to a redundancy group"},
	{"dependency twice", "services: [{id: a, depends_on: [b, b]}]", "already a dependency"},
	{"group member twice", "services: [{id: a, depends_on: [{any_of: [b, b]}]}]", "already a dependency"},
	{"type with a tab", `services: [{id: a, depends_on: [{on: b, type: "runs\ton"}]}]`, "control characters"},
	{"type with a next-line character", `services: [{id: a, depends_on: [{on: b, type: "runs\u0085on"}]}]`, "control characters"},
	{"type too long", "services: [{id: a, depends_on: [{on: b, type: " + strings.Repeat("x", 65) + "}]}]", "at most 64 characters"},
	{"name too long", "services: [{id: a, name: " + strings.Repeat("é", 201) + "}]", "at most 200 characters"},
	{"contract on an application", "services: [{id: a, contract: {rto: 1h}}]", "only vendors have a contract"},
	{"contract with kind unset", "services: [{id: a, kind: application, contract: {reference: X}}]", "only vendors have a contract"},
	{"currency lower case", "impact_scale: {currency: eur}", "not an ISO 4217 currency code"},
	{"currency too long", "impact_scale: {currency: EURO}", "not an ISO 4217 currency code"},
	{"category twice", "impact_scale: {categories: [money, money]}", "listed twice"},
	{"phone with letters", `people: [{id: p, phone: "call me"}]`, "not a phone number"},
	{"mbco too long", "bia: [{service: a, mbco: " + strings.Repeat("x", 2001) + "}]", "at most 2000 characters"},
	{"notes too long", "bia: [{service: a, notes: " + strings.Repeat("x", 10001) + "}]", "at most 10000 characters"},
	{"unknown review key", "bia: [{service: a, review: {status: draft, approvd_by: p}}]", `unknown key "approvd_by"; did you mean "approved_by"?`},
	{"unknown peak key", "bia: [{service: a, peak_periods: [{name: x, when: y, factr: 2}]}]", `did you mean "factor"?`},
	{"unknown resources key", "bia: [{service: a, resources: {system: [b]}}]", `did you mean "systems"?`},
	{"bad review status", "bia: [{service: a, review: {status: done}}]", "not a review status"},
	{"approved without approver", "bia: [{service: a, review: {status: approved, approved_at: 2026-05-01T09:00:00Z}}]", "names who approved it"},
	{"approved without time", "bia: [{service: a, review: {status: approved, approved_by: p}}]", "says when it was approved"},
	{"approver on a draft", "bia: [{service: a, review: {approved_by: p}}]", "only an approved BIA has approved_by"},
	{"approval time in review", "bia: [{service: a, review: {status: in-review, approved_at: 2026-05-01T09:00:00Z}}]", "only an approved BIA has approved_at"},
	{"approver not an id", "bia: [{service: a, review: {status: approved, approved_by: Ann, approved_at: 2026-05-01T09:00:00Z}}]", "not a valid person id"},
	{"time without a zone", `bia: [{service: a, review: {status: approved, approved_by: p, approved_at: "2026-05-01T09:00:00"}}]`, "want a time"},
	{"time as a number", "bia: [{service: a, review: {status: approved, approved_by: p, approved_at: 5}}]", "want a time"},
	{"time with a space", `bia: [{service: a, review: {status: approved, approved_by: p, approved_at: "2026-05-01 09:00:00Z"}}]`, "want a time"},
	{"interval too long", "bia: [{service: a, review: {interval_months: 121}}]", "review interval"},
	{"interval negative", "bia: [{service: a, review: {interval_months: -1}}]", "review interval"},
	{"review as text", "bia: [{service: a, review: approved}]", "want a mapping"},
	{"month 13", "bia: [{service: a, peak_periods: [{name: x, when: y, months: [13]}]}]", "a month is a number"},
	{"month 0", "bia: [{service: a, peak_periods: [{name: x, when: y, months: [0]}]}]", "a month is a number"},
	{"factor below 1", "bia: [{service: a, peak_periods: [{name: x, when: y, factor: 0.5}]}]", "the factor multiplies"},
	{"factor too high", "bia: [{service: a, peak_periods: [{name: x, when: y, factor: 101}]}]", "the factor multiplies"},
	{"factor as text", `bia: [{service: a, peak_periods: [{name: x, when: y, factor: "2x"}]}]`, "want a number"},
	{"peak without when", "bia: [{service: a, peak_periods: [{name: x}]}]", "when is required"},
	{"peak name empty", `bia: [{service: a, peak_periods: [{name: "", when: y}]}]`, "must not be empty"},
	{"peak name of spaces", `bia: [{service: a, peak_periods: [{name: "  ", when: y}]}]`, "must not be empty"},
	{"too many peaks", "bia: [{service: a, peak_periods: [" + strings.Repeat("{name: x, when: y}, ", 51) + "]}]", "at most 50 peak periods"},
	{"staff count 0", "bia: [{service: a, resources: {people: [{role: r, count: 0}]}}]", "count of people"},
	{"staff without count", "bia: [{service: a, resources: {people: [{role: r}]}}]", "count is required"},
	{"bad system", "bia: [{service: a, resources: {systems: [Checkout]}}]", "not a valid service id"},
	{"bad supplier", "bia: [{service: a, resources: {suppliers: [the bank]}}]", "not a valid service id"},
	{"facility empty", `bia: [{service: a, resources: {facilities: [""]}}]`, "must not be empty"},
	{"vital record too long", "bia: [{service: a, resources: {vital_records: [" + strings.Repeat("x", 501) + "]}}]", "at most 500 characters"},
	{"resources as a list", "bia: [{service: a, resources: [people]}]", "want a mapping"},
}

func members(n int) string {
	m := make([]string, n)
	for i := range m {
		m[i] = "m" + string(rune('a'+i/26)) + string(rune('a'+i%26))
	}
	return strings.Join(m, ", ")
}

// knownDifferences are documents on which the schema and the loader cannot
// agree, each with the reason. docs/format.md lists the same.
var knownDifferences = []struct {
	name          string
	yaml          string
	schemaAccepts bool
}{
	// The schema is stricter on empty values, which the loader reads as
	// unset: allowing them would have editors offer null and "" everywhere.
	{"an empty list", "services:", false},
	{"an empty mapping", "services: [{id: a, objectives: }]", false},
	{"an empty duration", "services: [{id: a, objectives: {rto: ~}}]", false},
	{"an empty enum", `services: [{id: a, kind: ""}]`, false},
	{"an empty reference", `services: [{id: a, owner: ""}]`, false},
	{"an empty currency", `impact_scale: {currency: ""}`, false},
	{"an empty contract on an application", "services: [{id: a, contract: {}}]", false},
	{"an empty group beside on", "services: [{id: a, depends_on: [{on: b, any_of: []}]}]", false},
	{"min_up 0 without a group", "services: [{id: a, depends_on: [{on: b, min_up: 0}]}]", false},
	// The loader trims spaces around a phone number before checking it.
	{"a phone number with spaces around", `people: [{id: p, phone: " +1 555 0100 "}]`, false},

	// JSON has one kind of number, so 1.0 is an integer to a JSON Schema;
	// the loader wants whole numbers written as such.
	{"version 1.0", "version: 1.0", true},
	{"a tier of 1.0", "services: [{id: a, tier: 1.0}]", true},
	// YAML types JSON lacks: a YAML 1.1 timestamp is text to editors, a
	// mapping key that is a number is text to JSON.
	{"a date as a name", "services: [{id: a, name: 2024-01-01}]", true},
	{"a number as a key", "bia: [{service: a, impacts: [{after: 1h, ratings: {1: 2}}]}]", true},
	// Integers the YAML parser reads but a duration does not take.
	{"a hexadecimal duration", "bia: [{service: a, rpo: 0x10}]", true},
	{"a duration with underscores", "bia: [{service: a, rpo: 3_600}]", true},
	// Rules across values, which JSON Schema cannot compare.
	{"an RTO above the MTPD", "services: [{id: a, objectives: {rto: 2d, mtpd: 1d}}]", true},
	{"min_up above the group", "services: [{id: a, depends_on: [{any_of: [b, c], min_up: 3}]}]", true},
	{"a service depending on itself", "services: [{id: a, depends_on: [a]}]", true},
	{"a dependency in both forms", "services: [{id: a, depends_on: [b, {on: b, impact: degraded}]}]", true},
	{"ratings out of order", "impact_scale: {ratings: [{level: 2, name: b}, {level: 1, name: a}]}", true},
	{"tiers out of order", "impact_scale: {tiers: [{id: 1, name: b, max_rto: 4h}, {id: 0, name: a, max_rto: 1h}]}", true},
	{"a slower tier first", "impact_scale: {tiers: [{id: 0, name: a, max_rto: 4h}, {id: 1, name: b, max_rto: 1h}]}", true},
	{"impacts out of order", "bia: [{service: a, impacts: [{after: 4h}, {after: 1h}]}]", true},
	{"a loss that shrinks", "bia: [{service: a, impacts: [{after: 1h, loss: 2}, {after: 4h, loss: 1}]}]", true},
	{"a loss range upside down", "risks: [{id: r, quant: {frequency: 1, loss: {low: 2, high: 1}}}]", true},
	{"an id given twice", "services: [{id: a}, {id: a}]", true},
	{"a duration string over 100 years", "bia: [{service: a, rpo: 99999w}]", true},
	// Formats are annotations in draft 2020-12; the loader parses addresses.
	{"an e-mail address that is not one", "people: [{id: p, email: not an address}]", true},
	// Across list items and calendars, which a pattern cannot see.
	{"a role listed twice", "bia: [{service: a, resources: {people: [{role: Agent, count: 1}, {role: agent, count: 2}]}}]", true},
	{"a day that does not exist", `bia: [{service: a, review: {status: approved, approved_by: p, approved_at: "2026-02-30T09:00:00Z"}}]`, true},
	// A YAML 1.1 date, which the tests read as a timestamp at midnight; an
	// editor reads the text 2026-05-01, which the schema refuses too.
	{"an approval in antiquity", "bia: [{service: a, review: {status: approved, approved_by: p, approved_at: 0001-01-01T00:00:00Z}}]", true},
	{"a date without a time", "bia: [{service: a, review: {status: approved, approved_by: p, approved_at: 2026-05-01}}]", true},
	// Control characters in free text, which PostgreSQL cannot store.
	{"a NUL in a name", `services: [{id: a, name: "a\0b"}]`, true},
}
