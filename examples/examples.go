// Package examples holds the demo organisation, Northwind Outfitters, as
// model files of format v1 (see README.md), and embeds them so that the
// binary can load the demo without the files on disk.
package examples

import "embed"

// Files holds the model files of the demo organisation.
//
//go:embed *.yaml services/*.yaml
var Files embed.FS
