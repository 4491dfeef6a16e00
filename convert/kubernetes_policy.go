package convert

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-itscm/lifeboat"
)

// k8sPolicy is a NetworkPolicy: which pods may call the pods it selects
// (ingress), and which pods those may call (egress).
type k8sPolicy struct {
	namespace, name string
	spec            struct {
		PodSelector labelSelector `yaml:"podSelector"`
		Ingress     []struct {
			From []k8sPeer `yaml:"from"`
		} `yaml:"ingress"`
		Egress []struct {
			To []k8sPeer `yaml:"to"`
		} `yaml:"egress"`
	}
	file string
	line int
	node *yaml.Node // the spec
}

// k8sPeer is one entry of a rule's from or to list.
type k8sPeer struct {
	PodSelector       *labelSelector `yaml:"podSelector"`
	NamespaceSelector *labelSelector `yaml:"namespaceSelector"`
}

// labelSelector selects objects by their labels, as Kubernetes does.
type labelSelector struct {
	MatchLabels      map[string]string `yaml:"matchLabels"`
	MatchExpressions []struct {
		Key      string   `yaml:"key"`
		Operator string   `yaml:"operator"`
		Values   []string `yaml:"values"`
	} `yaml:"matchExpressions"`
}

// empty reports whether the selector selects everything.
func (s *labelSelector) empty() bool {
	return s == nil || len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0
}

// matches reports whether labels satisfy the selector. An operator that
// Kubernetes does not know matches nothing.
func (s *labelSelector) matches(labels map[string]string) bool {
	if !containsLabels(labels, s.MatchLabels) {
		return false
	}
	for _, e := range s.MatchExpressions {
		v, has := labels[e.Key]
		var ok bool
		switch e.Operator {
		case "In":
			ok = has && slices.Contains(e.Values, v)
		case "NotIn":
			ok = !has || !slices.Contains(e.Values, v)
		case "Exists":
			ok = has
		case "DoesNotExist":
			ok = !has
		}
		if !ok {
			return false
		}
	}
	return true
}

func (s *labelSelector) String() string {
	var parts []string
	for _, l := range sortedKeys(s.MatchLabels) {
		parts = append(parts, l+"="+s.MatchLabels[l])
	}
	for _, e := range s.MatchExpressions {
		parts = append(parts, fmt.Sprintf("%s %s %v", e.Key, e.Operator, e.Values))
	}
	return strings.Join(parts, ", ")
}

// policyDependencies reads a NetworkPolicy as a call graph: pods allowed in
// by an ingress rule call the selected pods, so they depend on them; the
// selected pods depend on the pods an egress rule lets them reach. Only
// selectors that name labels count: "every pod" says nothing about who
// calls whom.
func (k *kubernetes) policyDependencies(p *k8sPolicy) {
	if p.spec.PodSelector.empty() {
		return
	}
	selected := k.pods([]string{p.namespace}, &p.spec.PodSelector)
	if len(selected) == 0 {
		k.c.add(p.file, p.line, "NetworkPolicy %s/%s selects no workload of the input (%s); skipped", p.namespace, p.name, &p.spec.PodSelector)
		return
	}
	for i, rule := range p.spec.Ingress {
		for j, peer := range rule.From {
			for _, caller := range k.peers(p, peer, lineAt(p.node, "ingress", i, "from", j)) {
				for _, w := range selected {
					k.c.depend(caller.id, w.id, lifeboat.Dependency{})
				}
			}
		}
	}
	for i, rule := range p.spec.Egress {
		for j, peer := range rule.To {
			for _, callee := range k.peers(p, peer, lineAt(p.node, "egress", i, "to", j)) {
				for _, w := range selected {
					k.c.depend(w.id, callee.id, lifeboat.Dependency{})
				}
			}
		}
	}
}

// peers returns the workloads a rule's peer selects: pods by label, in the
// policy's namespace or in those its namespace selector matches.
func (k *kubernetes) peers(p *k8sPolicy, peer k8sPeer, line int) []*workload {
	if peer.PodSelector.empty() {
		return nil // a whole namespace, an IP block or everything
	}
	namespaces := []string{p.namespace}
	if peer.NamespaceSelector != nil {
		namespaces = nil
		for _, ns := range sortedKeys(k.nsLabels) {
			if peer.NamespaceSelector.matches(k.nsLabels[ns]) {
				namespaces = append(namespaces, ns)
			}
		}
	}
	found := k.pods(namespaces, peer.PodSelector)
	if len(found) == 0 {
		k.c.add(p.file, line, "NetworkPolicy %s/%s: no workload of the input has pods with %s; no dependency", p.namespace, p.name, peer.PodSelector)
	}
	return found
}

// pods returns the workloads of the namespaces whose pods a selector matches.
func (k *kubernetes) pods(namespaces []string, s *labelSelector) []*workload {
	var out []*workload
	for _, w := range k.workloads {
		if slices.Contains(namespaces, w.namespace) && s.matches(w.spec.Template.Metadata.Labels) {
			out = append(out, w)
		}
	}
	return out
}
