package web

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Notes are Markdown that anyone who edits a BIA writes, so they are
// untrusted: goldmark leaves raw HTML and dangerous link schemes out, and
// bluemonday then keeps only the elements and attributes user content may
// have, in case a Markdown construct ever lets something through.
var (
	markdown       = goldmark.New(goldmark.WithExtensions(extension.GFM))
	markdownPolicy = bluemonday.UGCPolicy().RequireNoFollowOnLinks(true).AddTargetBlankToFullyQualifiedLinks(true)
)

// renderMarkdown turns untrusted Markdown into safe HTML.
func renderMarkdown(src string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src)) // goldmark fails only on writer errors
	}
	return template.HTML(markdownPolicy.SanitizeBytes(b.Bytes()))
}
