package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.BIAStore = (*DB)(nil)

// biaColumns are the columns of a BIA row that the model holds, in the
// order of biaValues; reads add version (see scanBIA).
const biaColumns = `service_id, impacts, work_recovery_time, rpo, mbco, peak_periods, resources, notes,
	review_status, approved_by, approved_at, review_interval_months, approved_snapshot`

func findAllBIAs(ctx context.Context, tx *sql.Tx) ([]*lifeboat.BIA, error) {
	return scanAll(ctx, tx, `SELECT `+biaColumns+`, version FROM bias ORDER BY service_id`, scanBIA)
}

// findGraphBIAs reads what the dependency graph and the impact simulation
// need of each BIA, leaving out its resources, notes and sign-off.
func findGraphBIAs(ctx context.Context, tx *sql.Tx) ([]*lifeboat.BIA, error) {
	return scanAll(ctx, tx, `SELECT service_id, impacts, work_recovery_time, rpo, peak_periods FROM bias ORDER BY service_id`, func(r scanner) (*lifeboat.BIA, error) {
		var b lifeboat.BIA
		var impacts, peaks string
		var wrt, rpo sql.NullInt64
		if err := r.Scan(&b.Service, &impacts, &wrt, &rpo, &peaks); err != nil {
			return nil, err
		}
		b.WorkRecoveryTime, b.RPO = durationPtr(wrt), durationPtr(rpo)
		return &b, unmarshalColumns("bia of "+b.Service, impacts, &b.Impacts, peaks, &b.PeakPeriods)
	})
}

func scanBIA(r scanner) (*lifeboat.BIA, error) {
	var b lifeboat.BIA
	var impacts, peaks string
	var resources, status, by, snapshot sql.NullString
	var wrt, rpo, approvedAt, months sql.NullInt64
	if err := r.Scan(&b.Service, &impacts, &wrt, &rpo, &b.MBCO, &peaks, &resources, &b.Notes,
		&status, &by, &approvedAt, &months, &snapshot, &b.Version); err != nil {
		return nil, err
	}
	b.WorkRecoveryTime, b.RPO = durationPtr(wrt), durationPtr(rpo)
	what := "bia of " + b.Service
	if err := unmarshalColumns(what, impacts, &b.Impacts, peaks, &b.PeakPeriods); err != nil {
		return nil, err
	}
	if resources.Valid {
		b.Resources = new(lifeboat.BIAResources)
		if err := unmarshalColumns(what, resources.String, b.Resources); err != nil {
			return nil, err
		}
	}
	if status.Valid || by.Valid || approvedAt.Valid || months.Valid {
		b.Review = &lifeboat.BIAReview{Status: lifeboat.ReviewStatus(status.String), ApprovedBy: by.String, IntervalMonths: int(months.Int64)}
		if approvedAt.Valid {
			t := fromMillis(approvedAt.Int64)
			b.Review.ApprovedAt = &t
		}
		if snapshot.Valid {
			b.Review.Snapshot = new(lifeboat.BIASnapshot)
			if err := unmarshalColumns(what, snapshot.String, b.Review.Snapshot); err != nil {
				return nil, err
			}
		}
	}
	return &b, nil
}

// biaValues are the values of biaColumns.
func biaValues(b *lifeboat.BIA) []any {
	impacts, peaks := "[]", "[]"
	if len(b.Impacts) > 0 {
		impacts = mustJSON(b.Impacts)
	}
	if len(b.PeakPeriods) > 0 {
		peaks = mustJSON(b.PeakPeriods)
	}
	var resources, status, by, approvedAt, months, snapshot any
	if b.Resources != nil {
		resources = mustJSON(b.Resources)
	}
	if r := b.Review; r != nil {
		if r.Status != "" {
			status = string(r.Status)
		}
		if r.ApprovedBy != "" {
			by = r.ApprovedBy
		}
		if r.ApprovedAt != nil {
			approvedAt = millis(*r.ApprovedAt)
		}
		if r.IntervalMonths != 0 {
			months = r.IntervalMonths
		}
		if r.Snapshot != nil {
			snapshot = mustJSON(r.Snapshot)
		}
	}
	return []any{b.Service, impacts, durationValue(b.WorkRecoveryTime), durationValue(b.RPO), b.MBCO, peaks, resources, b.Notes,
		status, by, approvedAt, months, snapshot}
}

func (db *DB) insertBIAs(ctx context.Context, tx *sql.Tx, bias []*lifeboat.BIA, now int64) error {
	rows := make([][]any, len(bias))
	for i, b := range bias {
		b.Version = 1
		rows[i] = append(biaValues(b), 1, now, now)
	}
	return db.insertRows(ctx, tx, "bias", biaColumns+", version, created_at, updated_at", rows)
}

// updateBIARow writes a BIA over the stored one, one version on.
func updateBIARow(ctx context.Context, tx *sql.Tx, b *lifeboat.BIA, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE bias SET impacts = $2, work_recovery_time = $3, rpo = $4, mbco = $5,
		peak_periods = $6, resources = $7, notes = $8, review_status = $9, approved_by = $10, approved_at = $11,
		review_interval_months = $12, approved_snapshot = $13, version = version + 1, updated_at = $14
		WHERE service_id = $1`, append(biaValues(b), now)...)
	return err
}

// approvalSnapshot is the snapshot to store with a BIA that a model import
// or apply writes: none unless approved; the one the BIA carries; the
// stored one while the approval is the stored one (same time or older), so
// that what changed since shows; else a new one of the BIA and its service
// s (nil when unknown), for an approval that is new.
func approvalSnapshot(want, stored *lifeboat.BIA, s *lifeboat.Service) *lifeboat.BIASnapshot {
	if want.Status() != lifeboat.ReviewApproved {
		return nil
	}
	if want.Review.Snapshot != nil {
		return want.Review.Snapshot
	}
	if stored != nil && stored.Status() == lifeboat.ReviewApproved && stored.Review.Snapshot != nil &&
		stored.Review.ApprovedAt != nil && !want.Review.ApprovedAt.After(*stored.Review.ApprovedAt) {
		return stored.Review.Snapshot
	}
	return lifeboat.TakeSnapshot(want, s)
}

// FindBIA returns the BIA of a service, with the snapshot of its approval,
// and its review state at now.
func (db *DB) FindBIA(ctx context.Context, serviceID string, now time.Time) (*lifeboat.BIA, lifeboat.ReviewState, error) {
	var b *lifeboat.BIA
	var st lifeboat.ReviewState
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if b, err = db.lockBIA(ctx, tx, serviceID, 0, ""); err != nil {
			return err
		}
		s, err := scanService(tx.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1`, serviceID))
		if err != nil {
			return err
		}
		st = lifeboat.ReviewStateOf(b, s, now)
		return nil
	})
	return b, st, err
}

// lockBIA reads the BIA of a service, failing with ENOTFOUND when it has
// none and ESTALE when ifVersion is set and differs. forUpdate locks the
// row on PostgreSQL until the transaction ends; "" reads it plainly.
func (db *DB) lockBIA(ctx context.Context, tx *sql.Tx, serviceID string, ifVersion int64, forUpdate string) (*lifeboat.BIA, error) {
	b, err := scanBIA(tx.QueryRowContext(ctx, `SELECT `+biaColumns+`, version FROM bias WHERE service_id = $1`+forUpdate, serviceID))
	if err == sql.ErrNoRows {
		return nil, lifeboat.Errorf(lifeboat.ENOTFOUND, "service %q has no BIA", serviceID)
	} else if err != nil {
		return nil, err
	}
	return b, checkVersion("the BIA of service", serviceID, ifVersion, b.Version)
}

// SaveBIA creates the BIA of a service or replaces its content, keeping
// its sign-off (see lifeboat.BIAStore).
func (db *DB) SaveBIA(ctx context.Context, b *lifeboat.BIA, ifVersion int64) error {
	months := 0
	if b.Review != nil {
		months = b.Review.IntervalMonths
	}
	b.Review = &lifeboat.BIAReview{IntervalMonths: months}
	b.Normalize()
	if err := b.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, err := db.lockBIA(ctx, tx, b.Service, ifVersion, db.dialect.forUpdate)
		if lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND && ifVersion == 0 {
			before, err = nil, nil // a new BIA
		}
		if err != nil {
			return err
		}
		if before != nil && before.Review != nil {
			kept := *before.Review
			kept.IntervalMonths = months
			b.Review = &kept
		}
		b.Normalize()
		if err := db.checkDangling(ctx, tx, lifeboat.DanglingReferences(&lifeboat.Model{BIAs: []*lifeboat.BIA{b}})); err != nil {
			return err
		}
		now := millis(db.now())
		if before == nil {
			if err := db.insertBIAs(ctx, tx, []*lifeboat.BIA{b}, now); err != nil {
				return err
			}
			return db.appendAudit(ctx, tx, lifeboat.AuditCreate, lifeboat.ObjBIA, b.Service, nil, b)
		}
		b.Version = before.Version + 1
		if err := updateBIARow(ctx, tx, b, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, lifeboat.AuditUpdate, lifeboat.ObjBIA, b.Service, before, b)
	})
}

// snapshotImport takes the snapshots of the approved BIAs an import adds,
// of their services as the import leaves them: from the model, else from
// the database.
func snapshotImport(ctx context.Context, tx *sql.Tx, m *lifeboat.Model) error {
	var services map[string]*lifeboat.Service // made once, when needed
	for _, b := range m.BIAs {
		if b.Status() != lifeboat.ReviewApproved || b.Review.Snapshot != nil {
			continue
		}
		if services == nil {
			services = make(map[string]*lifeboat.Service, len(m.Services))
			for _, s := range m.Services {
				services[s.ID] = s
			}
		}
		s, ok := services[b.Service]
		if !ok {
			var err error
			s, err = scanService(tx.QueryRowContext(ctx, `SELECT `+serviceColumns+` FROM services WHERE id = $1`, b.Service))
			if err != nil && err != sql.ErrNoRows {
				return err
			}
		}
		b.Review.Snapshot = approvalSnapshot(b, nil, s)
	}
	return nil
}
