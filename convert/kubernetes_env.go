package convert

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// envDependencies makes a workload depend on the workloads behind the
// Services that its containers' environment names: as a host, host:port,
// a URL, a cluster DNS name, or a list of those; also in the ConfigMaps
// the environment takes values from.
func (k *kubernetes) envDependencies(w *workload) {
	pod := w.spec.Template.Spec
	for _, group := range []struct {
		field      string
		containers []k8sContainer
	}{{"containers", pod.Containers}, {"initContainers", pod.InitContainers}} {
		for i, c := range group.containers {
			for j, e := range c.Env {
				line := lineAt(w.node, "template", "spec", group.field, i, "env", j)
				value := e.Value
				if ref := e.ValueFrom.ConfigMapKeyRef; ref.Name != "" {
					value = k.configMaps[w.namespace+"/"+ref.Name][ref.Key]
				}
				k.valueDependencies(w, line, "container "+quote(c.Name)+", env "+e.Name, value)
			}
			for j, from := range c.EnvFrom {
				line := lineAt(w.node, "template", "spec", group.field, i, "envFrom", j)
				data := k.configMaps[w.namespace+"/"+from.ConfigMapRef.Name]
				for _, key := range sortedKeys(data) {
					k.valueDependencies(w, line, "container "+quote(c.Name)+", ConfigMap "+from.ConfigMapRef.Name+" key "+key, data[key])
				}
			}
		}
	}
}

// valueDependencies adds the dependencies that one environment value
// names. A value that clearly is an address (it has a port, a scheme or a
// cluster domain) but names no Service of the input gives a warning.
func (k *kubernetes) valueDependencies(w *workload, line int, where, value string) {
	for _, h := range addressHosts(value) {
		name, ns, cluster := k.serviceName(h.host, w.namespace)
		if name == "" {
			if h.address {
				k.c.add(w.file, line, "%s, %s: %q names host %q, which is not a Service of the input; no dependency", w, where, value, h.host)
			}
			continue
		}
		svc := k.services[ns+"/"+name]
		switch {
		case svc == nil && (h.address || cluster):
			k.c.add(w.file, line, "%s, %s: %q names Service %s/%s, which is not in the input; no dependency", w, where, value, ns, name)
		case svc == nil:
		default:
			targets := k.selected(svc)
			if len(targets) == 0 {
				k.c.add(w.file, line, "%s, %s: Service %s/%s selects no workload of the input; no dependency", w, where, ns, name)
			}
			for _, t := range targets {
				k.c.depend(w.id, t.id, lifeboat.Dependency{})
			}
		}
	}
}

// selected returns the workloads whose pods a Service's selector matches;
// a Service without a selector matches none.
func (k *kubernetes) selected(s *k8sService) []*workload {
	var out []*workload
	for _, w := range k.workloads {
		if w.namespace == s.namespace && len(s.Selector) > 0 && containsLabels(w.spec.Template.Metadata.Labels, s.Selector) {
			out = append(out, w)
		}
	}
	return out
}

// containsLabels reports whether labels hold every pair of want.
func containsLabels(labels, want map[string]string) bool {
	for l, v := range want {
		if got, ok := labels[l]; !ok || got != v {
			return false
		}
	}
	return true
}

// serviceName finds the Service that a host name means, seen from a pod in
// namespace ns: "name", "name.ns", "name.ns.svc", "name.ns.svc.cluster.local"
// or "pod.name.ns.svc...". cluster says whether the host is a cluster name
// for sure; name is "" for any other host.
func (k *kubernetes) serviceName(host, ns string) (name, namespace string, cluster bool) {
	labels := strings.Split(host, ".")
	if i := slices.Index(labels, "svc"); i >= 2 {
		return labels[i-2], labels[i-1], true
	}
	switch {
	case len(labels) == 1:
		return labels[0], ns, false
	case len(labels) == 2 && k.nsLabels[labels[1]] != nil:
		return labels[0], labels[1], true
	}
	return "", "", false
}

// hostRef is a host named in a value; address says the value clearly means
// a network address: it has a port or a URL scheme.
type hostRef struct {
	host    string
	address bool
}

// hostPattern is a DNS name with at least one letter, in lower case.
var hostPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// addressHosts finds the hosts in a value such as "cart:7070",
// "redis://redis:6379/0", "http://user@api.shop.svc.cluster.local/v1" or
// "kafka-0:9092,kafka-1:9092". Loopback, IP addresses and words without a
// letter are left out.
func addressHosts(value string) []hostRef {
	var out []hostRef
	for _, token := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' }) {
		h, ok := parseHost(token)
		h.host = strings.TrimSuffix(strings.ToLower(h.host), ".")
		if !ok || !hostPattern.MatchString(h.host) || !strings.ContainsFunc(h.host, isLetter) ||
			h.host == "localhost" || net.ParseIP(h.host) != nil {
			continue
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// parseHost takes the host out of one token: a URL, or [user@]host[:port][/path].
func parseHost(token string) (hostRef, bool) {
	if i := strings.Index(token, "://"); i > 0 {
		if u, err := url.Parse(token); err == nil && u.Hostname() != "" {
			return hostRef{host: u.Hostname(), address: true}, true
		}
		token = token[i+3:]
	}
	if i := strings.IndexByte(token, '/'); i >= 0 {
		token = token[:i]
	}
	if i := strings.LastIndexByte(token, '@'); i >= 0 {
		token = token[i+1:]
	}
	host, port, hasPort := strings.Cut(token, ":")
	if !hasPort {
		return hostRef{host: host}, true
	}
	if port == "" || strings.Trim(port, "0123456789") != "" {
		return hostRef{}, false
	}
	return hostRef{host: host, address: true}, true
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' }

func quote(s string) string { return `"` + s + `"` }

// dataImages are the repository names of images that run a data store:
// databases, caches, queues, search engines, coordination and object
// stores. They are matched whole, so that redis-exporter is no data store.
var dataImages = words(`redis redis-stack redis-stack-server redis-cluster valkey keydb dragonfly
	postgres postgresql postgresql-repmgr postgis timescaledb mysql mysql-server mariadb percona-server
	mongo mongodb mongodb-sharded cassandra scylla elasticsearch opensearch solr kafka cp-kafka redpanda
	pulsar rabbitmq nats memcached etcd zookeeper cp-zookeeper minio couchdb couchbase neo4j influxdb
	clickhouse clickhouse-server cockroach cockroachdb`)

// imageRepository returns the last part of an image's repository, without
// registry, path, tag or digest: "redis" for "docker.io/library/redis:7".
func imageRepository(image string) string {
	image, _, _ = strings.Cut(image, "@")
	if i := strings.LastIndexByte(image, '/'); i >= 0 {
		image = image[i+1:]
	}
	image, _, _ = strings.Cut(image, ":")
	return strings.ToLower(image)
}
