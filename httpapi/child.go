package httpapi

import (
	"context"
	"net/http"
)

// child describes a resource that belongs to a customer (a service, a
// contact, a document) for the handlers they share: GET of one, PATCH as
// a JSON merge patch of its writable fields, and the version lookup behind
// If-Match. R is the resource, In the input its writes take.
type child[R any, In any] struct {
	// param is the route's parameter naming the child ("service_id").
	param string
	// owned are the fields only the server writes (400 in a body).
	owned []string
	// get reads the child of a customer; not_found under another customer.
	get func(ctx context.Context, customerID, id string) (R, error)
	// version is the child's version, its ETag.
	version func(R) int64
	// replace writes the writable fields, if ifVersion (0: any) is current.
	replace func(ctx context.Context, customerID, id string, in In, ifVersion int64) (R, error)
	// update edits the writable fields under the service's lock, if
	// ifVersion (0: any) is current: what a merge patch goes through.
	update func(ctx context.Context, customerID, id string, ifVersion int64, edit func(*In) error) (R, error)
	// view is the response body of a child; nil shows R as it is.
	view func(R) any
	// path is the URL path of a child (without the mount prefix), for
	// Location.
	path func(R) string
}

// respond writes v with status and its ETag, as view shows it (R itself
// when view is nil).
func (c child[R, In]) respond(w http.ResponseWriter, r *http.Request, status int, v R) {
	setETag(w, c.version(v))
	if c.view == nil {
		encode(w, r, status, v)
		return
	}
	encode(w, r, status, c.view(v))
}

// handleCreate serves POST of a new child through create: 201 with
// Location (below basePath), ETag and the child.
func (c child[R, In]) handleCreate(create func(ctx context.Context, customerID string, in In) (R, error), basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in In
		if err := decode(r, &in, c.owned...); err != nil {
			return err
		}
		v, err := create(r.Context(), pathParam(r, "id"), in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", basePath+c.path(v))
		c.respond(w, r, http.StatusCreated, v)
		return nil
	})
}

// handleGet serves GET of one child with its ETag; a child of another
// customer is 404.
func (c child[R, In]) handleGet() http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		v, err := c.get(r.Context(), pathParam(r, "id"), pathParam(r, c.param))
		if err != nil {
			return err
		}
		c.respond(w, r, http.StatusOK, v)
		return nil
	})
}

// handlePatch serves PATCH of one child: a JSON merge patch of its
// writable fields, validated as a replace, with If-Match as for customers.
func (c child[R, In]) handlePatch() http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id, childID := pathParam(r, "id"), pathParam(r, c.param)
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		patch, err := readMergePatch(r, new(In), c.owned, nil)
		if err != nil {
			return err
		}
		version, err := pre.ifVersion(c.currentVersion(r.Context(), id, childID))
		if err != nil {
			return err
		}
		v, err := c.update(r.Context(), id, childID, version, patchEdit[In](patch))
		if err != nil {
			return err
		}
		c.respond(w, r, http.StatusOK, v)
		return nil
	})
}

// patchEdit is the edit of a PATCH: patch merged into the current writable
// fields. The merge result is decoded into a fresh value, so a field the
// patch sets to null ends up empty rather than keeping its old value.
func patchEdit[In any](patch *mergePatch) func(*In) error {
	return func(in *In) error {
		var out In
		if err := patch.apply(*in, &out); err != nil {
			return err
		}
		*in = out
		return nil
	}
}

// handleReplace serves PUT of one child: the full writable
// representation, validated as on create, with If-Match checked inside the
// transaction.
func (c child[R, In]) handleReplace() http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id, childID := pathParam(r, "id"), pathParam(r, c.param)
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		var in In
		if err := decode(r, &in, c.owned...); err != nil {
			return err
		}
		version, err := pre.ifVersion(c.currentVersion(r.Context(), id, childID))
		if err != nil {
			return err
		}
		v, err := c.replace(r.Context(), id, childID, in, version)
		if err != nil {
			return err
		}
		c.respond(w, r, http.StatusOK, v)
		return nil
	})
}

// handleDelete serves DELETE of one child through del (which removes or
// deactivates it): 204. If-Match, when sent, must name the current
// version.
func (c child[R, In]) handleDelete(del func(ctx context.Context, customerID, id string, ifVersion int64) error) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id, childID := pathParam(r, "id"), pathParam(r, c.param)
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		version, err := pre.ifVersion(c.currentVersion(r.Context(), id, childID))
		if err != nil {
			return err
		}
		if err := del(r.Context(), id, childID, version); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// currentVersion reads the version of a child when a precondition needs
// it.
func (c child[R, In]) currentVersion(ctx context.Context, customerID, id string) func() (int64, error) {
	return func() (int64, error) {
		v, err := c.get(ctx, customerID, id)
		if err != nil {
			return 0, err
		}
		return c.version(v), nil
	}
}
