package sqldb

import (
	"context"
	"database/sql"

	"github.com/lifeboat-itscm/lifeboat"
)

// FindImpactScale returns the stored impact scale and its version, or the
// default scale at version 0 when none is stored.
func (db *DB) FindImpactScale(ctx context.Context) (*lifeboat.ImpactScale, int64, error) {
	var s *lifeboat.ImpactScale
	var version int64
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		s, version, err = scaleRow(ctx, tx, "")
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if s == nil {
		return lifeboat.DefaultImpactScale(), 0, nil
	}
	return s, version, nil
}

// UpdateImpactScale saves the scale in one transaction with an audit entry,
// when the stored one is still at ifVersion (0 skips the check) and every
// BIA's ratings keep their meaning under it.
func (db *DB) UpdateImpactScale(ctx context.Context, s *lifeboat.ImpactScale, ifVersion int64) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		before, version, err := scaleRow(ctx, tx, db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if err := checkVersion("the impact scale", "impact_scale", ifVersion, version); err != nil {
			return err
		}
		bias, err := findAllBIAs(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.CheckBIAs(bias); err != nil {
			return err
		}
		now := millis(db.now())
		action := lifeboat.AuditUpdate
		if before == nil {
			action = lifeboat.AuditCreate
			err = db.insertScale(ctx, tx, s, now)
		} else {
			err = updateScaleRow(ctx, tx, s, now)
		}
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, action, lifeboat.ObjImpactScale, lifeboat.ObjImpactScale, before, s)
	})
}

// updateScaleRow writes the scale over the stored one.
func updateScaleRow(ctx context.Context, tx *sql.Tx, s *lifeboat.ImpactScale, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE impact_scale SET categories = $1, ratings = $2, tiers = $3, currency = $4,
		version = version + 1, updated_at = $5 WHERE id = 1`, append(scaleValues(s), now)...)
	return err
}
