package httpapi

import (
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// handleCustomerSuspend serves POST /customers/{id}/suspend: reason
// required, notes and until optional; 200 with the suspended customer. Its
// active services are suspended with it.
func handleCustomerSuspend(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in customer.SuspendInput
		if err := decode(r, &in); err != nil {
			return err
		}
		var err error
		if in.IfVersion, err = ifMatchVersion(r, svc, id); err != nil {
			return err
		}
		c, err := svc.Suspend(r.Context(), id, in)
		if err != nil {
			return err
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
		return nil
	})
}

// handleCustomerReactivate serves POST /customers/{id}/reactivate (body
// optional: notes, override); 200 with the active customer and its
// services restored. Only an admin may send override=true.
func handleCustomerReactivate(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in customer.ReactivateInput
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
		if c, _ := callerFrom(r.Context()); in.Override && !c.role.Includes(RoleAdmin) {
			return crm.Errorf(crm.CodeForbidden, "override needs the admin role.")
		}
		var err error
		if in.IfVersion, err = ifMatchVersion(r, svc, id); err != nil {
			return err
		}
		c, err := svc.Reactivate(r.Context(), id, in)
		if err != nil {
			return err
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
		return nil
	})
}

// statusHistory is the body of GET /customers/{id}/status-history.
type statusHistory struct {
	StatusHistory []customer.StatusChange `json:"status_history"`
}

// handleStatusHistory serves GET /customers/{id}/status-history, oldest
// first.
func handleStatusHistory(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		h, err := svc.StatusHistory(r.Context(), pathParam(r, "id"))
		if err != nil {
			return err
		}
		if h == nil {
			h = []customer.StatusChange{}
		}
		encode(w, r, http.StatusOK, statusHistory{StatusHistory: h})
		return nil
	})
}
