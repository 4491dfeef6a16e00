package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.ModelStore = (*DB)(nil)

// FindModel reads the whole model in one snapshot, every list sorted by id.
func (db *DB) FindModel(ctx context.Context) (*lifeboat.Model, error) {
	var m *lifeboat.Model
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		m, err = findModel(ctx, tx)
		return err
	})
	return m, err
}

// FindBIAModel reads what the BIAs need of the model in one snapshot:
// every BIA, the impact scale, the people (approvers), and in full only the
// services that have a BIA or are business services, which are far fewer
// than the catalog.
func (db *DB) FindBIAModel(ctx context.Context) (*lifeboat.Model, error) {
	m := &lifeboat.Model{}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m.People, err = findAllPeople(ctx, tx); err != nil {
			return err
		}
		if m.Services, err = scanAll(ctx, tx, `SELECT `+serviceColumns+` FROM services
			WHERE kind = 'business-service' OR id IN (SELECT service_id FROM bias) ORDER BY id`, scanService); err != nil {
			return err
		}
		if m.ImpactScale, err = findImpactScale(ctx, tx); err != nil {
			return err
		}
		m.BIAs, err = findAllBIAs(ctx, tx)
		return err
	})
	return m, err
}

// FindGraphModel reads what the dependency graph needs of the model, in one
// snapshot: every service with only its kind, tier, objectives, recovery,
// contract times and dependencies, the BIAs with only their impacts, work
// recovery time, RPO and peak periods, and the impact scale. It reads half
// the columns of FindModel, and a million services in half the time.
func (db *DB) FindGraphModel(ctx context.Context) (*lifeboat.Model, error) {
	m := &lifeboat.Model{}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m.Services, err = scanAll(ctx, tx, `SELECT id, kind, tier, rto, rpo, mtpd, recovery_time, recovery_data_loss,
			contract_rto, contract_rpo, depends_on_text FROM services ORDER BY id`, scanGraphService); err != nil {
			return err
		}
		if m.ImpactScale, err = findImpactScale(ctx, tx); err != nil {
			return err
		}
		m.BIAs, err = findGraphBIAs(ctx, tx)
		return err
	})
	return m, err
}

// scanGraphService reads the columns FindGraphModel selects.
func scanGraphService(row scanner) (*lifeboat.Service, error) {
	var s lifeboat.Service
	var tier, rto, rpo, mtpd, rtime, rloss, crto, crpo sql.NullInt64
	var deps string
	if err := row.Scan(&s.ID, &s.Kind, &tier, &rto, &rpo, &mtpd, &rtime, &rloss, &crto, &crpo, &deps); err != nil {
		return nil, err
	}
	var err error
	if s.DependsOn, err = decodeDependencies(deps); err != nil {
		return nil, fmt.Errorf("service %q: stored dependencies: %w", s.ID, err)
	}
	s.Tier = intPtr(tier)
	if rto.Valid || rpo.Valid || mtpd.Valid {
		s.Objectives = &lifeboat.Objectives{RTO: durationPtr(rto), RPO: durationPtr(rpo), MTPD: durationPtr(mtpd)}
	}
	if rtime.Valid || rloss.Valid {
		s.Recovery = &lifeboat.Recovery{Time: durationPtr(rtime), DataLoss: durationPtr(rloss)}
	}
	if crto.Valid || crpo.Valid {
		s.Contract = &lifeboat.Contract{RTO: durationPtr(crto), RPO: durationPtr(crpo)}
	}
	return &s, nil
}

func findModel(ctx context.Context, tx *sql.Tx) (*lifeboat.Model, error) {
	m := &lifeboat.Model{}
	var err error
	if m.People, err = findAllPeople(ctx, tx); err != nil {
		return nil, err
	}
	if m.Teams, err = findAllTeams(ctx, tx); err != nil {
		return nil, err
	}
	if m.Services, err = findAllServices(ctx, tx); err != nil {
		return nil, err
	}
	if m.ImpactScale, err = findImpactScale(ctx, tx); err != nil {
		return nil, err
	}
	if m.BIAs, err = findAllBIAs(ctx, tx); err != nil {
		return nil, err
	}
	if m.Risks, err = findAllRisks(ctx, tx); err != nil {
		return nil, err
	}
	return m, nil
}

// scanAll runs a query and scans each row with scan.
func scanAll[T any](ctx context.Context, tx *sql.Tx, q string, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func findAllServices(ctx context.Context, tx *sql.Tx) ([]*lifeboat.Service, error) {
	return scanAll(ctx, tx, `SELECT `+serviceColumns+` FROM services ORDER BY id`, scanService)
}

func findAllPeople(ctx context.Context, tx *sql.Tx) ([]*lifeboat.Person, error) {
	return scanAll(ctx, tx, `SELECT `+personColumns+` FROM people ORDER BY id`, scanPerson)
}

func findAllTeams(ctx context.Context, tx *sql.Tx) ([]*lifeboat.Team, error) {
	teams, err := scanAll(ctx, tx, `SELECT id, name, description, version FROM teams ORDER BY id`, func(r scanner) (*lifeboat.Team, error) {
		var t lifeboat.Team
		return &t, r.Scan(&t.ID, &t.Name, &t.Description, &t.Version)
	})
	if err != nil {
		return nil, err
	}
	members, err := scanAll(ctx, tx, `SELECT team_id, person_id FROM team_members ORDER BY team_id, position`, func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*lifeboat.Team, len(teams))
	for _, t := range teams {
		byID[t.ID] = t
	}
	for _, p := range members {
		byID[p[0]].Members = append(byID[p[0]].Members, p[1])
	}
	return teams, nil
}

// The impact scale and risks; BIAs are in bia.go.

const scaleColumns = `categories, ratings, tiers, currency, version`

func findImpactScale(ctx context.Context, tx *sql.Tx) (*lifeboat.ImpactScale, error) {
	s, _, err := scaleRow(ctx, tx, "")
	return s, err
}

// scaleRow reads the stored scale and its version; nil when none is
// stored. suffix ends the query, to lock the row for an update.
func scaleRow(ctx context.Context, tx *sql.Tx, suffix string) (*lifeboat.ImpactScale, int64, error) {
	var cats, ratings, tiers string
	s := &lifeboat.ImpactScale{}
	var version int64
	err := tx.QueryRowContext(ctx, `SELECT `+scaleColumns+` FROM impact_scale WHERE id = 1`+suffix).Scan(&cats, &ratings, &tiers, &s.Currency, &version)
	if err == sql.ErrNoRows {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, err
	}
	if err := unmarshalColumns("impact_scale", cats, &s.Categories, ratings, &s.Ratings, tiers, &s.Tiers); err != nil {
		return nil, 0, err
	}
	return s, version, nil
}

func scaleValues(s *lifeboat.ImpactScale) []any {
	return []any{mustJSON(s.Categories), mustJSON(s.Ratings), mustJSON(s.Tiers), s.Currency}
}

const riskColumns = `id, title, threat, description, owner, likelihood, impact, treatment, quant_frequency, quant_loss_low, quant_loss_high`

func findAllRisks(ctx context.Context, tx *sql.Tx) ([]*lifeboat.Risk, error) {
	risks, err := scanAll(ctx, tx, `SELECT `+riskColumns+` FROM risks ORDER BY id`, scanRisk)
	if err != nil {
		return nil, err
	}
	affects, err := scanAll(ctx, tx, `SELECT risk_id, service_id FROM risk_services ORDER BY risk_id, service_id`, func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*lifeboat.Risk, len(risks))
	for _, r := range risks {
		byID[r.ID] = r
	}
	for _, p := range affects {
		byID[p[0]].Affects = append(byID[p[0]].Affects, p[1])
	}
	return risks, nil
}

func scanRisk(row scanner) (*lifeboat.Risk, error) {
	var r lifeboat.Risk
	var owner sql.NullString
	var freq, low, high sql.NullFloat64
	if err := row.Scan(&r.ID, &r.Title, &r.Threat, &r.Description, &owner, &r.Likelihood, &r.Impact, &r.Treatment, &freq, &low, &high); err != nil {
		return nil, err
	}
	r.Owner = owner.String
	if freq.Valid {
		r.Quant = &lifeboat.RiskQuant{Frequency: freq.Float64, Loss: lifeboat.LossRange{Low: lifeboat.Amount(low.Float64), High: lifeboat.Amount(high.Float64)}}
	}
	return &r, nil
}

func riskValues(r *lifeboat.Risk) []any {
	var owner, freq, low, high any
	if r.Owner != "" {
		owner = r.Owner
	}
	if q := r.Quant; q != nil {
		freq, low, high = q.Frequency, float64(q.Loss.Low), float64(q.Loss.High)
	}
	return []any{r.ID, r.Title, r.Threat, r.Description, owner, r.Likelihood, r.Impact, string(r.Treatment), freq, low, high}
}

// mustJSON encodes values of the domain's types, which always encode.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqldb: %T always encodes: %v", v, err))
	}
	return string(b)
}

// unmarshalColumns decodes JSON columns given as pairs of text and target.
func unmarshalColumns(what string, pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := json.Unmarshal([]byte(pairs[i].(string)), pairs[i+1]); err != nil {
			return fmt.Errorf("%s: stored JSON: %w", what, err)
		}
	}
	return nil
}
