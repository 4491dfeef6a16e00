package web

import "html/template"

// templateFuncs are the helpers every template can call.
var templateFuncs = template.FuncMap{}
