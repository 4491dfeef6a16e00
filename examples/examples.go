// Package examples holds the demo organisation, Northwind Outfitters, as
// model files of format v1 (see README.md), and embeds them so that the
// binary can load the demo without the files on disk.
package examples

import (
	"embed"
	"time"
)

// Files holds the model files of the demo organisation.
//
//go:embed *.yaml services/*.yaml
var Files embed.FS

// AsOf is the day the demo's story is told on (README.md): the BIA
// approvals it shows as current, overdue or pending are so on that day.
// Later, more of them fall due, as they would in a real organisation.
func AsOf() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
