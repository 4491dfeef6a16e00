package convert

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
)

// boutiqueEdges is the call graph of Google's Online Boutique. Every edge
// but the load generator's also has a NetworkPolicy that allows it.
var boutiqueEdges = []string{
	"cartservice -> redis-cart",
	"checkoutservice -> cartservice",
	"checkoutservice -> currencyservice",
	"checkoutservice -> emailservice",
	"checkoutservice -> paymentservice",
	"checkoutservice -> productcatalogservice",
	"checkoutservice -> shippingservice",
	"frontend -> adservice",
	"frontend -> cartservice",
	"frontend -> checkoutservice",
	"frontend -> currencyservice",
	"frontend -> productcatalogservice",
	"frontend -> recommendationservice",
	"frontend -> shippingservice",
	"loadgenerator -> frontend", // FRONTEND_ADDR; the load generator has no ingress policy of its own
	"recommendationservice -> productcatalogservice",
}

func TestKubernetesOnlineBoutique(t *testing.T) {
	r, err := Kubernetes(readFixture(t, "online-boutique/kubernetes-manifests.yaml", "online-boutique/network-policies"))
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t, r)
	equal(t, "edges", edges(m), boutiqueEdges)
	for _, s := range m.Services {
		want := lifeboat.KindApplication
		if s.ID == "redis-cart" {
			want = lifeboat.KindDataStore
		}
		if s.Kind != want {
			t.Errorf("%s is of kind %s, want %s", s.ID, s.Kind, want)
		}
		if !slices.Contains(s.Tags, "kubernetes") || !slices.Contains(s.Tags, "default") || !slices.Contains(s.Tags, "deployment") {
			t.Errorf("%s has tags %v, want kubernetes, default and deployment among them", s.ID, s.Tags)
		}
	}
	if len(m.Services) != 12 {
		t.Errorf("%d services, want the 12 deployments: %v", len(m.Services), ids(m))
	}
	wantWarnings(t, r, 1, `kubernetes-manifests.yaml:89: Deployment default/frontend, container "server", env SHOPPING_ASSISTANT_SERVICE_ADDR: `+
		`"shoppingassistantservice:80" names Service default/shoppingassistantservice, which is not in the input; no dependency`)
}

// TestKubernetesNetworkPolicies checks that the NetworkPolicies alone give
// the same call graph as the environment, less the load generator.
func TestKubernetesNetworkPolicies(t *testing.T) {
	k, err := readKubernetes(readFixture(t, "online-boutique/kubernetes-manifests.yaml", "online-boutique/network-policies"))
	if err != nil {
		t.Fatal(err)
	}
	k.addWorkloads()
	for _, p := range k.policies {
		k.policyDependencies(p)
	}
	m := mustLoad(t, k.c.model())
	want := slices.DeleteFunc(slices.Clone(boutiqueEdges), func(e string) bool { return strings.HasPrefix(e, "loadgenerator") })
	equal(t, "edges from network policies", edges(m), want)
}

const shopManifests = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
        - name: web
          image: registry.example.com:5000/shop/web:1.2
          envFrom: [{configMapRef: {name: web-config}}]
          env:
            - {name: API_URL, value: "http://api.shop.svc.cluster.local:8080/v1"}
            - {name: DB, valueFrom: {configMapKeyRef: {name: web-config, key: DATABASE_HOST}}}
            - {name: CACHE, value: "redis://:secret@cache.data:6379/0"}
            - {name: BROKERS, value: "kafka-0.kafka.data.svc:9092,kafka-1.kafka.data.svc:9092"}
            - {name: STRIPE, value: "https://api.stripe.com/v1"}
            - {name: SELF, value: "web:80"}
            - {name: LISTEN, value: "0.0.0.0:8080"}
            - {name: NOTE, value: "hello world, true 10:30"}
            - {name: HEADLESS, value: "headless:1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {DATABASE_HOST: "postgres.data", SEARCH: "http://search:9200"}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: shop}
spec: {clusterIP: None}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: shop/api}, {name: metrics, image: oliver006/redis_exporter}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}}
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: postgres, namespace: data}
    spec: {template: {metadata: {labels: {app: postgres}}, spec: {containers: [{name: pg, image: "docker.io/library/postgres:16@sha256:abc"}]}}}
  - apiVersion: v1
    kind: Service
    metadata: {name: postgres, namespace: data}
    spec: {selector: {app: postgres}}
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: kafka, namespace: data}
    spec: {template: {metadata: {labels: {app: kafka}}, spec: {containers: [{name: k, image: bitnami/kafka:3}]}}}
  - apiVersion: v1
    kind: Service
    metadata: {name: kafka, namespace: data}
    spec: {selector: {app: kafka}}
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: cache, namespace: data}
    spec: {template: {metadata: {labels: {app: cache}}, spec: {containers: [{name: c, image: memcached}]}}}
  - apiVersion: v1
    kind: Service
    metadata: {name: cache, namespace: data}
    spec: {selector: {app: cache}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: data}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [postgres]}]}
  ingress:
    - from:
        - {namespaceSelector: {matchLabels: {team: web}}, podSelector: {matchLabels: {app: api}}}
        - {podSelector: {matchLabels: {app: nobody}}}
        - {namespaceSelector: {}}
        - {ipBlock: {cidr: 10.0.0.0/8}}
  egress:
    - to: [{podSelector: {matchLabels: {app: kafka}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ghost, namespace: data}
spec: {podSelector: {matchLabels: {app: ghost}}}
`

func TestKubernetesManifests(t *testing.T) {
	r, err := Kubernetes(inputs("shop.yaml", shopManifests))
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t, r)
	equal(t, "services", ids(m), []string{"data.cache", "data.kafka", "data.postgres", "shop.api", "shop.web"})
	equal(t, "edges", edges(m), []string{
		"data.postgres -> data.kafka", // egress of NetworkPolicy db
		"shop.api -> data.postgres",   // ingress of NetworkPolicy db, from namespace shop by its label
		"shop.web -> data.cache",      // redis://:secret@cache.data:6379/0
		"shop.web -> data.kafka",      // a list of StatefulSet pod names
		"shop.web -> data.postgres",   // ConfigMap key DATABASE_HOST: postgres.data
		"shop.web -> shop.api",        // http://api.shop.svc.cluster.local:8080/v1
	})
	for id, kind := range map[string]lifeboat.Kind{"data.postgres": lifeboat.KindDataStore, "data.kafka": lifeboat.KindDataStore,
		"data.cache": lifeboat.KindDataStore, "shop.api": lifeboat.KindApplication, "shop.web": lifeboat.KindApplication} {
		if s := service(t, m, id); s.Kind != kind {
			t.Errorf("%s is of kind %s, want %s (tags %v)", id, s.Kind, kind, s.Tags)
		}
	}
	if s := service(t, m, "data.postgres"); strings.Join(s.Tags, ",") != "data,kubernetes,postgres,statefulset" || s.Name != "postgres" {
		t.Errorf("postgres: name %q, tags %v", s.Name, s.Tags)
	}
	wantWarnings(t, r, 5,
		`STRIPE: "https://api.stripe.com/v1" names host "api.stripe.com", which is not a Service of the input`,
		`ConfigMap web-config key SEARCH: "http://search:9200" names Service shop/search, which is not in the input`,
		`HEADLESS: Service shop/headless selects no workload of the input`,
		`NetworkPolicy data/db: no workload of the input has pods with app=nobody`,
		`NetworkPolicy data/ghost selects no workload of the input (app=ghost); skipped`)
}

func TestKubernetesIDs(t *testing.T) {
	r, err := Kubernetes(inputs("a.yaml", `
kind: Deployment
metadata: {name: web}
---
kind: StatefulSet
metadata: {name: web}
---
kind: Deployment
metadata: {name: web}
---
kind: Deployment
metadata: {}
---
kind: ServiceAccount
metadata: {name: web}
---
kind: Deployment
metadata: {name: typed}
spec: {template: {spec: {containers: "not a list"}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "services", ids(mustLoad(t, r)), []string{"typed", "web", "web-statefulset"})
	wantWarnings(t, r, 4, `a.yaml:8: Deployment default/web is defined twice (first at a.yaml:2)`,
		`a.yaml:11: Deployment without metadata.name`,
		`StatefulSet default/web gets id "web-statefulset": "web" is already the id of Deployment default/web`,
		"a.yaml:19: want a list, not a single value (`not a list`); the value is ignored")
}

func TestKubernetesNotYAML(t *testing.T) {
	_, err := Kubernetes(inputs("helm.yaml", "kind: Deployment\nmetadata:\n  name: web\n{{- include \"labels\" . | nindent 4 }}\n"))
	var e *Error
	if !errors.As(err, &e) || e.File != "helm.yaml" || e.Line != 4 || !strings.Contains(e.Message, "not valid YAML") {
		t.Errorf("err %v, want a YAML error at helm.yaml:4", err)
	}
}

// TestAddressHosts lists the hosts found in environment values; a host
// written as an address (with a port or a scheme) is marked "!".
func TestAddressHosts(t *testing.T) {
	for in, want := range map[string]string{
		"cart:7070":                      "cart!",
		"cart":                           "cart",
		"redis://redis:6379":             "redis!",
		"http://u:p@api.shop.svc/v1?x=1": "api.shop.svc!",
		"amqp://guest@rabbit":            "rabbit!",
		"a:1, b:2;c":                     "a! b! c",
		"localhost:80 127.0.0.1:1 [::1]": "",
		"8080 :80 x:y 10:30 -Dx=y":       "",
		"Europe/Paris":                   "europe",
		"db.example.com.":                "db.example.com",
		"${HOST}:80":                     "",
	} {
		var got []string
		for _, h := range addressHosts(in) {
			got = append(got, h.host+map[bool]string{true: "!"}[h.address])
		}
		if strings.Join(got, " ") != want {
			t.Errorf("addressHosts(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImageRepository(t *testing.T) {
	for in, want := range map[string]string{
		"redis":                                "redis",
		"redis:alpine":                         "redis",
		"docker.io/library/postgres:16":        "postgres",
		"localhost:5000/team/mysql@sha256:abc": "mysql",
		"us-docker.pkg.dev/p/r/frontend:v1":    "frontend",
		"oliver006/redis_exporter:v1.5":        "redis_exporter",
		"bitnami/Redis":                        "redis",
	} {
		if got := imageRepository(in); got != want {
			t.Errorf("imageRepository(%q) = %q, want %q", in, got, want)
		}
	}
}
