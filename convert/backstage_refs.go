package convert

import (
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// entityRef is a Backstage entity reference with every part filled in, in
// lower case: Backstage compares kinds, namespaces and names that way.
type entityRef struct{ kind, namespace, name string }

func (r entityRef) String() string { return r.kind + ":" + r.namespace + "/" + r.name }

// id is the id an entity gets: its name, after its namespace when that is
// not the default one. Namespaces hold no dots, so ns.name stays readable.
func (r entityRef) id() string {
	id := sanitizeID(r.name)
	if id == "" {
		id = r.kind
	}
	if r.namespace != "default" {
		if ns := sanitizeID(r.namespace); ns != "" {
			id = sanitizeID(ns + "." + id)
		}
	}
	return id
}

// parseRef reads a reference of the form [kind:][namespace/]name; the kind
// and namespace default to those given. ok is false for a malformed one.
// The kind is empty when neither the reference nor the default gives one.
func parseRef(s, kind, namespace string) (entityRef, bool) {
	s = strings.TrimSpace(s)
	r := entityRef{kind: kind, namespace: namespace}
	if k, rest, found := strings.Cut(s, ":"); found && !strings.Contains(k, "/") {
		r.kind, s = k, rest
	}
	if ns, rest, found := strings.Cut(s, "/"); found {
		r.namespace, s = ns, rest
	}
	r.name = s
	r = entityRef{kind: strings.ToLower(r.kind), namespace: strings.ToLower(r.namespace), name: strings.ToLower(r.name)}
	ok := r.namespace != "" && r.name != "" && !strings.ContainsAny(r.name, ":/")
	return r, ok
}

// bsClassify maps an entity's kind, spec.type and spec.lifecycle to those
// of Lifeboat. The type is kept as a tag, and so is a lifecycle Lifeboat
// has no stage for, as lifecycle-VALUE.
func bsClassify(e *bsEntity) (lifeboat.Kind, lifeboat.Lifecycle, []string) {
	var kind lifeboat.Kind
	switch e.ref.kind {
	case bsSystem:
		kind = lifeboat.KindBusinessService
	case bsResource:
		kind = typeKind(e.Spec.Type, lifeboat.KindInfrastructure)
	default:
		switch strings.ToLower(e.Spec.Type) {
		case "database", "db", "datastore", "data-store":
			kind = lifeboat.KindDataStore
		case "library":
			kind = lifeboat.KindOther // built into others, it does not fail on its own
		default:
			kind = lifeboat.KindApplication
		}
	}
	tags := []string{e.Spec.Type}
	var lifecycle lifeboat.Lifecycle
	switch l := strings.ToLower(strings.TrimSpace(e.Spec.Lifecycle)); l {
	case "", "production":
	case "experimental":
		lifecycle = lifeboat.LifecyclePlanned
	case "deprecated":
		lifecycle = lifeboat.LifecycleDeprecated
	case "retired", "decommissioned":
		lifecycle = lifeboat.LifecycleRetired
	default:
		tags = append(tags, "lifecycle-"+l)
	}
	return kind, lifecycle, tags
}

// Words in the spec.type of a Backstage resource that say what kind of
// thing it is; data wins over network, network over infrastructure.
var (
	dataWords = words(`database databases db dbs datastore datastores rds sql nosql postgres postgresql mysql
		mariadb mongo mongodb redis cache memcached elasticsearch opensearch cassandra dynamodb couchdb
		bucket buckets s3 gcs blob storage filestore fileshare nfs queue queues topic topics kafka pubsub
		sqs stream streams warehouse bigquery bigtable spanner snowflake redshift datalake lake`)
	networkWords = words(`network networks vpc subnet dns cdn balancer loadbalancer lb firewall vpn router
		switch wan lan`)
	infraWords = words(`cluster clusters kubernetes k8s vm vms server servers host hosts compute machine
		machines node nodes infrastructure hypervisor mainframe`)
)

func words(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// typeKind reads a free-form type such as "s3-bucket" or "kubernetes-cluster"
// word by word; a type with no telling word gets fallback.
func typeKind(t string, fallback lifeboat.Kind) lifeboat.Kind {
	parts := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	has := func(set map[string]bool) bool {
		for _, p := range parts {
			if set[p] {
				return true
			}
		}
		return set[strings.Join(parts, "")] // data-store, load-balancer
	}
	switch {
	case len(parts) == 0:
		return fallback
	case has(dataWords):
		return lifeboat.KindDataStore
	case has(networkWords):
		return lifeboat.KindNetwork
	case has(infraWords):
		return lifeboat.KindInfrastructure
	}
	return fallback
}
