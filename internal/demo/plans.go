package demo

import (
	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// plan is one product of the demo ISP's catalogue, priced like 2024 US
// broadband retail plans.
type plan struct {
	Name       string
	Technology customer.Technology
	Down, Up   int       // Mbps
	Price      crm.Money // per month, in cents
	Business   bool      // sold to business, government and non-profit customers
}

// catalogue lists every plan. Residential and business plans are kept apart
// so a household never gets a 10 Gbps dedicated line.
var catalogue = []plan{
	{"Fiber 300", customer.TechFiber, 300, 300, 5500, false},
	{"Fiber 1 Gig", customer.TechFiber, 1000, 1000, 8000, false},
	{"Fiber 2 Gig", customer.TechFiber, 2000, 2000, 11000, false},
	{"DSL 25", customer.TechDSL, 25, 3, 4500, false},
	{"DSL 100", customer.TechDSL, 100, 10, 5500, false},
	{"Cable 200", customer.TechCable, 200, 10, 5000, false},
	{"Cable 500", customer.TechCable, 500, 20, 7000, false},
	{"Cable 1 Gig", customer.TechCable, 1000, 35, 9000, false},
	{"Fixed Wireless 50", customer.TechFixedWireless, 50, 10, 5500, false},
	{"Fixed Wireless 200", customer.TechFixedWireless, 200, 20, 7000, false},
	{"Satellite 25", customer.TechSatellite, 25, 3, 9000, false},
	{"Satellite 100", customer.TechSatellite, 100, 5, 11000, false},

	{"Business Fiber 500", customer.TechFiber, 500, 500, 12900, true},
	{"Business Fiber 1 Gig", customer.TechFiber, 1000, 1000, 19900, true},
	{"Dedicated Fiber 10G", customer.TechFiber, 10000, 10000, 149900, true},
	{"Business Cable 300", customer.TechCable, 300, 30, 9900, true},
	{"Business Cable 1 Gig", customer.TechCable, 1000, 50, 16900, true},
	{"Business DSL 100", customer.TechDSL, 100, 20, 8900, true},
	{"Business Fixed Wireless 300", customer.TechFixedWireless, 300, 100, 14900, true},
	{"Business Satellite 100", customer.TechSatellite, 100, 10, 19900, true},
}

// addon is a service other than internet access that a customer takes
// with a line, priced like 2024 US retail add-ons. It names no technology.
type addon struct {
	Name     string
	Type     customer.ServiceType
	Price    crm.Money // per month, in cents
	Business bool      // sold to business, government and non-profit customers
}

// addons lists every add-on, kept apart by customer segment like the plans.
var addons = []addon{
	{"Home Phone", customer.ServiceVoice, 2000, false},
	{"TV Essentials", customer.ServiceTV, 6000, false},
	{"Streaming Bundle", customer.ServiceStreaming, 1500, false},
	{"Home Security", customer.ServiceSecurity, 3000, false},
	{"Cloud Backup 1 TB", customer.ServiceBackup, 1000, false},
	{"Device Protection", customer.ServiceDeviceProtection, 1200, false},
	{"Premium Tech Support", customer.ServiceTechSupport, 1000, false},

	{"Business Voice 5 Lines", customer.ServiceVoice, 12500, true},
	{"Managed Security", customer.ServiceSecurity, 9900, true},
	{"Business Cloud Backup", customer.ServiceBackup, 4900, true},
	{"Business Tech Support", customer.ServiceTechSupport, 4900, true},
	{"Static IP Block", customer.ServiceOther, 1500, true},
}

// forBusiness reports whether p is sold to business customers.
func (p plan) forBusiness() bool { return p.Business }

// forBusiness reports whether a is sold to business customers.
func (a addon) forBusiness() bool { return a.Business }

// offeredTo returns the products of list sold to customers of type t.
func offeredTo[P interface{ forBusiness() bool }](list []P, t customer.Type) []P {
	business := t != customer.TypeResidential
	var out []P
	for _, p := range list {
		if p.forBusiness() == business {
			out = append(out, p)
		}
	}
	return out
}
