// Package demo loads the sample organisation, Northwind Outfitters (see
// examples/README.md), so that a new installation has something to show:
// an online retailer from its business services down to two data centers,
// a cloud region and vendors, with teams, people, BIAs and risks.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/examples"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// ErrNotEmpty is returned by Load when the catalog already has services:
// the sample is meant for new installations and never mixes with real data.
var ErrNotEmpty = errors.New("demo: the catalog already has services")

// Model returns the sample organisation, read from the embedded files.
func Model() (*lifeboat.Model, *model.Source, error) {
	m, src, err := model.LoadFS(examples.Files, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("demo: the embedded examples do not load: %w", err)
	}
	return m, src, nil
}

// Load imports the sample organisation in one transaction, refusing with
// ErrNotEmpty when there are services already.
func Load(ctx context.Context, services lifeboat.ServiceStore, models lifeboat.ModelStore) error {
	page, err := services.FindServices(ctx, lifeboat.ServiceFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if len(page.Services) > 0 {
		return ErrNotEmpty
	}
	m, src, err := Model()
	if err != nil {
		return err
	}
	if _, err := models.ImportModel(ctx, m, lifeboat.ImportSource{Files: src.Files}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
