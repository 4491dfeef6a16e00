package web

import (
	"regexp"
	"strings"
	"testing"
)

// unsafeHTML finds, in lower-cased HTML, what could run script: the tags
// that do, event handler attributes and script URLs in attributes.
var unsafeHTML = regexp.MustCompile(`<(script|iframe|style|svg|object|embed|form)|<[^>]*\son[a-z]+\s*=|<[^>]*\s(href|src|action)\s*=\s*["']?\s*((javascript|vbscript)(:|&#0*58;|&#x0*3a;|&colon;)|data:text/html)`)

func TestRenderMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"},
		{"**bold** and `code`", "<strong>bold</strong> and <code>code</code>"},
		{"[site](https://example.com)", `<a href="https://example.com" rel="nofollow noopener" target="_blank">site</a>`},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"},
	} {
		if got := string(renderMarkdown(tc.in)); !strings.Contains(got, tc.want) {
			t.Errorf("%q renders as %q, want it to hold %q", tc.in, got, tc.want)
		}
	}
}

// FuzzRenderMarkdown feeds hostile notes: whatever they hold, no script,
// event handler or script URL reaches the page.
func FuzzRenderMarkdown(f *testing.F) {
	for _, s := range []string{
		"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))", "<a href=\"javascript:alert(1)\">x</a>", "![x](data:text/html,<script>alert(1)</script>)",
		"<iframe src=//evil>", "<svg onload=alert(1)>", "`<script>`", "<style>body{}</style>", "[x](vbscript:msgbox)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := strings.ToLower(string(renderMarkdown(src)))
		if bad := unsafeHTML.FindString(out); bad != "" {
			t.Fatalf("%q renders as %q, which holds %q", src, out, bad)
		}
	})
}
