package convert

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// k8sObject is the envelope of any Kubernetes object; the spec is decoded
// once the kind is known.
type k8sObject struct {
	Kind     string            `yaml:"kind"`
	Metadata k8sMeta           `yaml:"metadata"`
	Spec     yaml.Node         `yaml:"spec"`
	Data     map[string]string `yaml:"data"`  // of a ConfigMap
	Items    []yaml.Node       `yaml:"items"` // of a List
}

type k8sMeta struct {
	Name      string            `yaml:"name"`
	Namespace string            `yaml:"namespace"`
	Labels    map[string]string `yaml:"labels"`
}

// k8sWorkloadSpec is the spec of a Deployment, StatefulSet or DaemonSet.
type k8sWorkloadSpec struct {
	Template struct {
		Metadata struct {
			Labels map[string]string `yaml:"labels"`
		} `yaml:"metadata"`
		Spec struct {
			Containers     []k8sContainer `yaml:"containers"`
			InitContainers []k8sContainer `yaml:"initContainers"`
		} `yaml:"spec"`
	} `yaml:"template"`
}

type k8sContainer struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Env     []k8sEnv `yaml:"env"`
	EnvFrom []struct {
		ConfigMapRef struct {
			Name string `yaml:"name"`
		} `yaml:"configMapRef"`
	} `yaml:"envFrom"`
}

type k8sEnv struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom struct {
		ConfigMapKeyRef struct {
			Name string `yaml:"name"`
			Key  string `yaml:"key"`
		} `yaml:"configMapKeyRef"`
	} `yaml:"valueFrom"`
}

// workload is a Deployment, StatefulSet or DaemonSet: a service of the model.
type workload struct {
	kind, namespace, name string
	spec                  k8sWorkloadSpec
	id                    string
	file                  string
	line                  int        // of the object
	node                  *yaml.Node // the spec
}

func (w *workload) String() string { return w.kind + " " + w.namespace + "/" + w.name }

// k8sService is a Kubernetes Service: a name that leads to the workloads
// whose pods its selector matches.
type k8sService struct {
	namespace, name string
	Selector        map[string]string `yaml:"selector"`
}

// kubernetes is one conversion of Kubernetes manifests.
type kubernetes struct {
	c          *catalog
	workloads  []*workload
	services   map[string]*k8sService // by namespace/name
	policies   []*k8sPolicy
	configMaps map[string]map[string]string // by namespace/name
	nsLabels   map[string]map[string]string // every namespace of the input
	seen       map[string]string            // kind namespace/name: where first defined
}

// workloadKinds are the kinds that become services.
var workloadKinds = []string{"Deployment", "StatefulSet", "DaemonSet"}

// usedKinds are all the kinds the conversion reads.
var usedKinds = append([]string{"Service", "NetworkPolicy", "ConfigMap", "Namespace"}, workloadKinds...)

// Kubernetes converts Kubernetes manifests into a model: each Deployment,
// StatefulSet and DaemonSet becomes a service, and a workload depends on
// another when its environment names a Service in front of the other, or
// when a NetworkPolicy lets it call the other. See docs/convert.md.
func Kubernetes(inputs []Input) (*Result, error) {
	k, err := readKubernetes(inputs)
	if err != nil {
		return nil, err
	}
	k.addWorkloads()
	for _, w := range k.workloads {
		k.envDependencies(w)
	}
	for _, p := range k.policies {
		k.policyDependencies(p)
	}
	if len(k.workloads) == 0 {
		k.c.add("", 0, "the input holds no Deployment, StatefulSet or DaemonSet")
	}
	return k.c.model(), nil
}

// readKubernetes collects the objects of the files.
func readKubernetes(inputs []Input) (*kubernetes, error) {
	k := &kubernetes{
		c: newCatalog(), services: map[string]*k8sService{}, configMaps: map[string]map[string]string{},
		nsLabels: map[string]map[string]string{}, seen: map[string]string{},
	}
	for _, in := range inputs {
		docs, err := documents(in)
		if err != nil {
			return nil, err
		}
		for _, doc := range docs {
			if err := k.object(in.Name, doc, 0); err != nil {
				return nil, err
			}
		}
	}
	return k, nil
}

// object reads one object, or the items of a List.
func (k *kubernetes) object(file string, n *yaml.Node, depth int) error {
	if n = resolveAlias(n); n.Kind != yaml.MappingNode {
		k.c.add(file, n.Line, "not a Kubernetes object: the document is %s; skipped", describeNode(n))
		return nil
	}
	var o k8sObject
	if err := decode(file, n, &o, &k.c.warnings); err != nil {
		return err
	}
	if strings.HasSuffix(o.Kind, "List") && depth < 2 {
		for i := range o.Items {
			if err := k.object(file, &o.Items[i], depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if !slices.Contains(usedKinds, o.Kind) {
		return nil // ServiceAccounts, Secrets and the like say nothing about dependencies
	}
	ns := o.Metadata.Namespace
	if ns == "" {
		ns = "default"
	}
	if o.Kind == "Namespace" {
		ns = o.Metadata.Name
	}
	if !k.first(file, n, o.Kind, ns, o.Metadata.Name) {
		return nil
	}
	if k.nsLabels[ns] == nil {
		k.nsLabels[ns] = map[string]string{"kubernetes.io/metadata.name": ns}
	}
	return k.keep(file, n, &o, ns)
}

// first reports whether this is the first object of its kind, namespace
// and name, and warns about a second one, or one without a name.
func (k *kubernetes) first(file string, n *yaml.Node, kind, ns, name string) bool {
	if name == "" {
		k.c.add(file, n.Line, "%s without metadata.name; skipped", kind)
		return false
	}
	key := kind + " " + ns + "/" + name
	if where, dup := k.seen[key]; dup {
		k.c.add(file, n.Line, "%s is defined twice (first at %s); this one is left out", key, where)
		return false
	}
	k.seen[key] = file + ":" + strconv.Itoa(n.Line)
	return true
}

// keep files an object of a kind the conversion uses.
func (k *kubernetes) keep(file string, n *yaml.Node, o *k8sObject, ns string) error {
	key := ns + "/" + o.Metadata.Name
	switch {
	case slices.Contains(workloadKinds, o.Kind):
		w := &workload{kind: o.Kind, namespace: ns, name: o.Metadata.Name, file: file, line: n.Line, node: &o.Spec}
		k.workloads = append(k.workloads, w)
		return decode(file, &o.Spec, &w.spec, &k.c.warnings)
	case o.Kind == "Service":
		s := &k8sService{namespace: ns, name: o.Metadata.Name}
		k.services[key] = s
		return decode(file, &o.Spec, s, &k.c.warnings)
	case o.Kind == "NetworkPolicy":
		p := &k8sPolicy{namespace: ns, name: o.Metadata.Name, file: file, line: n.Line, node: &o.Spec}
		k.policies = append(k.policies, p)
		return decode(file, &o.Spec, &p.spec, &k.c.warnings)
	case o.Kind == "ConfigMap":
		k.configMaps[key] = o.Data
	case o.Kind == "Namespace":
		for l, v := range o.Metadata.Labels {
			k.nsLabels[ns][l] = v
		}
	}
	return nil
}

// addWorkloads makes a service of each workload. Ids are the workloads'
// names, after their namespace when the workloads are in more than one.
func (k *kubernetes) addWorkloads() {
	slices.SortFunc(k.workloads, func(a, b *workload) int {
		return strings.Compare(a.namespace+"/"+a.name+" "+a.kind, b.namespace+"/"+b.name+" "+b.kind)
	})
	namespaces := map[string]bool{}
	for _, w := range k.workloads {
		namespaces[w.namespace] = true
	}
	ids := idSpace{}
	for _, w := range k.workloads {
		base := w.name
		if len(namespaces) > 1 {
			base = w.namespace + "." + w.name
		}
		if base = sanitizeID(base); base == "" {
			base = strings.ToLower(w.kind)
		}
		w.id = ids.take(base, strings.ToLower(w.kind), w.String())
		if w.id != base {
			k.c.add(w.file, w.line, "%s gets id %q: %q is already the id of %s", w, w.id, base, ids[base])
		}
		k.c.addService(k.service(w), w.file, w.line)
	}
}

// service makes the service of a workload: a data store when one of its
// containers runs a well-known database, queue or cache image.
func (k *kubernetes) service(w *workload) *lifeboat.Service {
	s := &lifeboat.Service{ID: w.id, Name: w.name, Kind: lifeboat.KindApplication,
		Tags: []string{"kubernetes", strings.ToLower(w.kind), w.namespace}}
	var images []string
	for _, c := range w.spec.Template.Spec.Containers {
		if c.Image == "" || slices.Contains(images, c.Image) {
			continue
		}
		images = append(images, c.Image)
		if repo := imageRepository(c.Image); dataImages[repo] {
			s.Kind = lifeboat.KindDataStore
			s.Tags = append(s.Tags, repo)
		}
	}
	s.Description = "Kubernetes " + w.String()
	if len(images) > 0 {
		s.Description += "; " + plural(len(images), "image", "images") + ": " + strings.Join(images, ", ")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
