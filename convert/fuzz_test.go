package convert

import (
	"github.com/lifeboat-itscm/lifeboat/internal/fixtures"

	"bytes"
	"slices"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/model"
)

// maxFuzzInput bounds the inputs of the fuzzers: big enough for every
// construct, small enough that each run stays fast.
const maxFuzzInput = 64 << 10

// checkConversion is what every converter promises, whatever the input:
// an error with a message, or a model that loads back with no dangling
// reference and comes out the same on a second run.
func checkConversion(t *testing.T, convert func() (*Result, error)) {
	r, err := convert()
	if err != nil {
		if err.Error() == "" {
			t.Fatalf("an error without a message: %#v", err)
		}
		return
	}
	mustLoad(t, r)
	again, err := convert()
	if err != nil {
		t.Fatalf("a second run fails: %v", err)
	}
	var a, b bytes.Buffer
	model.Encode(&a, r.Model)
	model.Encode(&b, again.Model)
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !slices.Equal(r.Warnings, again.Warnings) {
		t.Fatalf("two runs differ:\n%s%v\n---\n%s%v", a.String(), r.Warnings, b.String(), again.Warnings)
	}
}

// addFixtures seeds a fuzzer with the documents of the shared fixtures,
// one at a time, when they are here: small seeds mutate and minimize much
// faster than whole files.
func addFixtures(f *testing.F, paths ...string) {
	if _, ok := fixtures.Find(); !ok {
		return
	}
	for _, in := range readFixture(f, paths...) {
		for _, doc := range bytes.Split(in.Data, []byte("\n---\n")) {
			f.Add(doc)
		}
	}
}

func FuzzBackstage(f *testing.F) {
	addFixtures(f, "backstage-examples")
	f.Add([]byte(catalogYAML))
	f.Add([]byte("kind: Component\nmetadata: {name: a, namespace: x}\nspec: {dependsOn: [b, 'component:x/a'], subcomponentOf: a, system: s}\n" +
		"---\nkind: System\nmetadata: {name: s, namespace: x}\n---\nkind: Component\nmetadata: {name: b, namespace: x}\nspec: {owner: 'user:u'}\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		checkConversion(t, func() (*Result, error) { return Backstage([]Input{{Name: "fuzz.yaml", Data: data}}) })
	})
}

func FuzzKubernetes(f *testing.F) {
	addFixtures(f, "online-boutique/kubernetes-manifests.yaml", "online-boutique/network-policies/network-policy-cartservice.yaml")
	f.Add([]byte("kind: Deployment\nmetadata: {name: a}\nspec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{env: [{value: 'b:1'}]}]}}}\n" +
		"---\nkind: Deployment\nmetadata: {name: b}\nspec: {template: {metadata: {labels: {app: b}}}}\n---\nkind: Service\nmetadata: {name: b}\nspec: {selector: {app: b}}\n"))
	f.Add([]byte(shopManifests))
	f.Add([]byte("kind: List\nitems: [{kind: List, items: [{kind: Deployment, metadata: {name: a}}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		checkConversion(t, func() (*Result, error) { return Kubernetes([]Input{{Name: "fuzz.yaml", Data: data}}) })
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,name,kind,owner,tier,depends_on,description,tags\nshop,Shop,Business Service,Sales,Tier 1,web;db,x,a;b\nweb,,app,,2,db,,\ndb,,Database,,,,,\n"), ";", ",")
	f.Add([]byte("name;uses\nMail Server;Exchange|mail-server\nExchange;Mail Server\n"), "|", ";")
	f.Add([]byte("\uFEFFid,name\n\"a\nb\",\"x\"\"y\"\n,,\nA,a\n"), ";", ",")
	f.Fuzz(func(t *testing.T, data []byte, sep, delim string) {
		if len(data) > maxFuzzInput || len(sep) > 4 {
			t.Skip()
		}
		opts := CSVOptions{Separator: sep}
		for _, r := range delim {
			opts.Delimiter = r
			break
		}
		checkConversion(t, func() (*Result, error) { return CSV(Input{Name: "fuzz.csv", Data: data}, opts) })
	})
}
