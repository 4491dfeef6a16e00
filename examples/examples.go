// Package examples holds the demo organisation, Northwind Outfitters, as
// model files of format v1 (see README.md), and embeds them so that the
// binary can load the demo without the files on disk.
package examples

import (
	"embed"
	"io/fs"
	"path"
)

// Files holds the model files of the demo organisation.
//
//go:embed *.yaml services/*.yaml
var Files embed.FS

// Paths lists the model files in Files in the order model.Load reads a
// directory: every *.yaml and *.yml file, walked in lexical order.
func Paths() []string {
	var out []string
	fs.WalkDir(Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (path.Ext(p) == ".yaml" || path.Ext(p) == ".yml") {
			out = append(out, p)
		}
		return err
	})
	return out
}
