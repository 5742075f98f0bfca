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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		var in customer.SuspendInput
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		var err error
		if in.IfVersion, err = ifMatchVersion(r, svc, id); err != nil {
			writeError(w, r, err)
			return
		}
		c, err := svc.Suspend(r.Context(), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
	})
}

// handleCustomerReactivate serves POST /customers/{id}/reactivate (body
// optional: notes, override); 200 with the active customer and its
// services restored. Only an admin may send override=true.
func handleCustomerReactivate(svc *customer.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := pathParam(r, "id")
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		var in customer.ReactivateInput
		if err := decodeOptional(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		if c, _ := callerFrom(r.Context()); in.Override && !c.role.Includes(RoleAdmin) {
			writeError(w, r, crm.Errorf(crm.CodeForbidden, "override needs the admin role."))
			return
		}
		var err error
		if in.IfVersion, err = ifMatchVersion(r, svc, id); err != nil {
			writeError(w, r, err)
			return
		}
		c, err := svc.Reactivate(r.Context(), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
	})
}

// statusHistory is the body of GET /customers/{id}/status-history.
type statusHistory struct {
	StatusHistory []customer.StatusChange `json:"status_history"`
}

// handleStatusHistory serves GET /customers/{id}/status-history, oldest
// first.
func handleStatusHistory(svc *customer.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		h, err := svc.StatusHistory(r.Context(), pathParam(r, "id"))
		if err != nil {
			writeError(w, r, err)
			return
		}
		if h == nil {
			h = []customer.StatusChange{}
		}
		encode(w, r, http.StatusOK, statusHistory{StatusHistory: h})
	})
}
