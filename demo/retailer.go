package demo

import "github.com/lifeboat-itscm/lifeboat"

// Services returns the sample's services, freshly built on each call and
// ordered so that every service comes after the services it depends on.
func Services() []*lifeboat.Service {
	var out []*lifeboat.Service
	for _, group := range [][]*lifeboat.Service{sites(), platform(), dataStores(), vendors(), applications(), businessServices()} {
		out = append(out, group...)
	}
	return out
}

func sites() []*lifeboat.Service {
	return []*lifeboat.Service{
		{ID: "dc-east", Name: "Data center East", Kind: lifeboat.KindSite, Owner: "platform",
			Description: "Primary colocation site; runs the production cluster and the primary database.",
			Recovery:    &lifeboat.Recovery{Time: dur("3d")}},
		{ID: "dc-west", Name: "Data center West", Kind: lifeboat.KindSite, Owner: "platform",
			Description: "Secondary colocation site, 400 km away; hosts the database replica.",
			Recovery:    &lifeboat.Recovery{Time: dur("3d")}},
		{ID: "cloud-eu-west", Name: "Cloud region eu-west", Kind: lifeboat.KindSite, Owner: "platform",
			Tags:        []string{"cloud"},
			Description: "Public cloud region holding the off-site backups."},
	}
}

func platform() []*lifeboat.Service {
	return []*lifeboat.Service{
		{ID: "core-network", Name: "Core network", Kind: lifeboat.KindNetwork, Owner: "platform",
			Description: "Routers, firewalls and load balancers in front of the production cluster.",
			Objectives:  &lifeboat.Objectives{RTO: dur("1h")},
			Recovery:    &lifeboat.Recovery{Time: dur("30m")},
			DependsOn:   []lifeboat.Dependency{{On: "dc-east", Type: "hosted-in"}}},
		{ID: "k8s-prod", Name: "Kubernetes cluster (production)", Kind: lifeboat.KindInfrastructure, Owner: "platform",
			Tags:        []string{"kubernetes"},
			Description: "Runs every application. Rebuilt from code and the image registry.",
			Objectives:  &lifeboat.Objectives{RTO: dur("2h")},
			Recovery:    &lifeboat.Recovery{Time: dur("2h")},
			DependsOn: []lifeboat.Dependency{
				{On: "dc-east", Type: "hosted-in"},
				{On: "core-network", Type: "uses"},
			}},
	}
}

func dataStores() []*lifeboat.Service {
	return []*lifeboat.Service{
		{ID: "orders-db-primary", Name: "Orders database (primary)", Kind: lifeboat.KindDataStore, Owner: "data",
			Tags:        []string{"pci", "postgresql"},
			Description: "PostgreSQL primary with orders and customer accounts; WAL archived every 5 minutes.",
			Objectives:  &lifeboat.Objectives{RTO: dur("1h"), RPO: dur("5m")},
			Recovery:    &lifeboat.Recovery{Time: dur("1h"), DataLoss: dur("5m")},
			DependsOn: []lifeboat.Dependency{
				{On: "dc-east", Type: "hosted-in"},
				{On: "core-network", Type: "uses"},
			}},
		{ID: "orders-db-replica", Name: "Orders database (replica)", Kind: lifeboat.KindDataStore, Owner: "data",
			Tags:        []string{"pci", "postgresql"},
			Description: "Streaming replica in the West site; promoted by hand when the primary is lost.",
			Recovery:    &lifeboat.Recovery{Time: dur("15m"), DataLoss: dur("1m")},
			DependsOn:   []lifeboat.Dependency{{On: "dc-west", Type: "hosted-in"}}},
		{ID: "catalog-db", Name: "Catalog database", Kind: lifeboat.KindDataStore, Owner: "data",
			Tags:        []string{"postgresql"},
			Description: "Products, prices and stock levels. Restored from the nightly backup.",
			Objectives:  &lifeboat.Objectives{RTO: dur("4h"), RPO: dur("1d")},
			Recovery:    &lifeboat.Recovery{Time: dur("2h"), DataLoss: dur("1d")},
			DependsOn: []lifeboat.Dependency{
				{On: "k8s-prod", Type: "runs-on"},
			}},
		{ID: "backup-storage", Name: "Backup storage", Kind: lifeboat.KindDataStore, Owner: "data",
			Tags:        []string{"cloud"},
			Description: "Object storage with the database backups and WAL archive, kept 35 days.",
			DependsOn:   []lifeboat.Dependency{{On: "cloud-eu-west", Type: "hosted-in"}}},
	}
}

func vendors() []*lifeboat.Service {
	return []*lifeboat.Service{
		{ID: "payment-provider", Name: "Payment provider", Kind: lifeboat.KindVendor, Owner: "payments",
			Tags:        []string{"pci"},
			Description: "Card acquiring and 3-D Secure, as a service.",
			Contract:    &lifeboat.Contract{RTO: dur("4h"), RPO: dur("0s"), Reference: "PSP-2024-031"}},
		{ID: "email-provider", Name: "E-mail provider", Kind: lifeboat.KindVendor, Owner: "commerce",
			Description: "Sends order confirmations and shipping notices.",
			Contract:    &lifeboat.Contract{RTO: dur("1d"), Reference: "ESP-2023-112"}},
	}
}

func applications() []*lifeboat.Service {
	return []*lifeboat.Service{
		{ID: "catalog-api", Name: "Catalog API", Kind: lifeboat.KindApplication, Owner: "commerce",
			Description: "Product search and product pages.",
			Recovery:    &lifeboat.Recovery{Time: dur("15m")},
			DependsOn:   []lifeboat.Dependency{{On: "k8s-prod", Type: "runs-on"}, {On: "catalog-db"}}},
		{ID: "recommendations", Name: "Recommendations", Kind: lifeboat.KindApplication, Owner: "commerce",
			Description: "\"Customers also bought\"; the shop works without it.",
			Recovery:    &lifeboat.Recovery{Time: dur("1h")},
			DependsOn:   []lifeboat.Dependency{{On: "k8s-prod", Type: "runs-on"}, {On: "catalog-db"}}},
		{ID: "notifications", Name: "Notification service", Kind: lifeboat.KindApplication, Owner: "commerce",
			Description: "Queues customer e-mails and hands them to the e-mail provider.",
			Recovery:    &lifeboat.Recovery{Time: dur("30m")},
			DependsOn: []lifeboat.Dependency{
				{On: "k8s-prod", Type: "runs-on"},
				// Messages wait in the queue; customers notice after a day.
				{On: "email-provider", Type: "provided-by", Workaround: dur("1d")},
			}},
		{ID: "payments-api", Name: "Payments API", Kind: lifeboat.KindApplication, Owner: "payments", Tags: []string{"pci"},
			Description: "Authorises and captures card payments through the payment provider.",
			Recovery:    &lifeboat.Recovery{Time: dur("30m")},
			DependsOn: []lifeboat.Dependency{
				{On: "k8s-prod", Type: "runs-on"},
				// Orders can be taken and the cards charged later, for up to 4 hours.
				{On: "payment-provider", Type: "provided-by", Workaround: dur("4h")},
				{AnyOf: []string{"orders-db-primary", "orders-db-replica"}, MinUp: 1},
			}},
		{ID: "checkout-api", Name: "Checkout API", Kind: lifeboat.KindApplication, Owner: "commerce", Tags: []string{"pci"},
			Description: "Carts, orders and order confirmation.",
			Recovery:    &lifeboat.Recovery{Time: dur("30m")},
			DependsOn: []lifeboat.Dependency{
				{On: "k8s-prod", Type: "runs-on"},
				{AnyOf: []string{"orders-db-primary", "orders-db-replica"}, MinUp: 1},
				{On: "payments-api"},
				{On: "notifications", Impact: lifeboat.ImpactDegraded},
			}},
		{ID: "web-frontend", Name: "Web front end", Kind: lifeboat.KindApplication, Owner: "commerce", Tags: []string{"customer-facing"},
			Description: "Server-rendered shop pages behind the load balancers.",
			Recovery:    &lifeboat.Recovery{Time: dur("15m")},
			DependsOn: []lifeboat.Dependency{
				{On: "k8s-prod", Type: "runs-on"},
				{On: "catalog-api"},
				{On: "recommendations", Impact: lifeboat.ImpactDegraded},
			}},
	}
}

func businessServices() []*lifeboat.Service {
	return []*lifeboat.Service{
		{ID: "storefront", Name: "Online storefront", Kind: lifeboat.KindBusinessService, Owner: "commerce",
			Tier: tier(1), Tags: []string{"customer-facing"},
			Description: "Customers browse and search the catalog.",
			Objectives:  &lifeboat.Objectives{RTO: dur("4h"), RPO: dur("1d"), MTPD: dur("1d")},
			DependsOn:   []lifeboat.Dependency{{On: "web-frontend"}, {On: "catalog-api"}}},
		{ID: "checkout", Name: "Checkout", Kind: lifeboat.KindBusinessService, Owner: "commerce",
			Tier: tier(0), Tags: []string{"customer-facing", "pci"},
			Description: "Customers place orders. Phone orders keep 20% of sales going.",
			Objectives:  &lifeboat.Objectives{RTO: dur("1h"), RPO: dur("5m"), MTPD: dur("8h")},
			DependsOn:   []lifeboat.Dependency{{On: "web-frontend"}, {On: "checkout-api"}}},
		{ID: "payments", Name: "Card payments", Kind: lifeboat.KindBusinessService, Owner: "payments",
			Tier: tier(1), Tags: []string{"pci"},
			Description: "Authorising, capturing and refunding card payments.",
			Objectives:  &lifeboat.Objectives{RTO: dur("2h"), RPO: dur("5m"), MTPD: dur("1d")},
			DependsOn:   []lifeboat.Dependency{{On: "payments-api"}}},
	}
}

// dur parses a duration written in the sample; a typo is a bug found by the
// package's tests.
func dur(s string) *lifeboat.Duration {
	d, err := lifeboat.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func tier(n int) *int { return &n }
