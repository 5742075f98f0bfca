package httpapi

import (
	"context"
	"net/http"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
)

// segmentsModule serves segments, saved customer list queries; it is on
// when Services.Analytics is set. Reading them takes a viewer, writing
// them an admin.
var segmentsModule = module{
	on:         func(svc *app.Services) bool { return svc.Analytics != nil },
	routes:     segmentRoutes,
	components: segmentComponents,
}

// segmentsPath is the collection of segments, below the customers.
const segmentsPath = customersPrefix + "segments"

// segmentRoutes are the routes of the segments module.
func segmentRoutes(s *server) []route {
	svc := s.services.Analytics
	return []route{
		{http.MethodGet, segmentsPath, RoleViewer, handleSegmentList(svc),
			operation{id: "listSegments", summary: "Segments, oldest first, each with its current member count",
				params: []any{pref("Limit"), pref("Cursor"), flagParam("include_member_count", true)},
				status: 200, result: "SegmentList", errors: []string{"400"}}},
		{http.MethodPost, segmentsPath, RoleAdmin, handleSegmentCreate(svc, s.basePath),
			operation{id: "createSegment", summary: "Save a customer list query as a segment",
				params: []any{pref("IdempotencyKey")}, body: "SegmentInput", status: 201, result: "Segment", etag: true, location: true,
				errors: []string{"400", "409", "413", "415", "422"}}},
		{http.MethodGet, segmentsPath + "/:segment_id", RoleViewer, handleSegmentGet(svc),
			operation{id: "getSegment", summary: "Get a segment with its current member count",
				params: []any{pref("SegmentID")}, status: 200, result: "Segment", etag: true, errors: []string{"400", "404"}}},
		{http.MethodPatch, segmentsPath + "/:segment_id", RoleAdmin, handleSegmentPatch(svc),
			operation{id: "patchSegment", summary: "Update a segment with a JSON merge patch (rules merge key by key)",
				params: []any{pref("SegmentID"), pref("IfMatch")}, body: "SegmentPatch", patch: true, status: 200, result: "Segment", etag: true,
				errors: []string{"400", "404", "412", "413", "415"}}},
		{http.MethodDelete, segmentsPath + "/:segment_id", RoleAdmin, handleSegmentDelete(svc),
			operation{id: "deleteSegment", summary: "Delete a segment",
				params: []any{pref("SegmentID"), pref("IfMatch")}, status: 204, errors: []string{"400", "404", "412"}}},
	}
}

// segmentOwned are the fields of a segment that only the server writes; a
// request body naming one is 400.
var segmentOwned = []string{"id", "member_count", "version", "created_at", "updated_at"}

// handleSegmentList serves GET /customers/segments: oldest first, paged
// with limit and cursor; include_member_count=false leaves the counts out.
func handleSegmentList(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "limit", "cursor", "include_member_count")
		limit, cursor, count := q.limit(), q.cursor(), q.flag("include_member_count", true)
		if err := q.err(); err != nil {
			return err
		}
		page, err := svc.ListSegments(r.Context(), cursor, limit, count)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, pageBody[analytics.Segment]{"segments", page})
		return nil
	})
}

// handleSegmentCreate serves POST /customers/segments: 201 with Location,
// ETag and the segment with its member count.
func handleSegmentCreate(svc *analytics.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		var in analytics.SegmentInput
		if err := decode(r, &in, segmentOwned...); err != nil {
			return err
		}
		seg, err := svc.CreateSegment(r.Context(), in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", basePath+segmentsPath+"/"+seg.ID)
		setETag(w, seg.Version)
		encode(w, r, http.StatusCreated, seg)
		return nil
	})
}

// handleSegmentGet serves GET /customers/segments/{id} with its ETag.
func handleSegmentGet(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		seg, err := svc.GetSegment(r.Context(), pathParam(r, "segment_id"))
		if err != nil {
			return err
		}
		setETag(w, seg.Version)
		encode(w, r, http.StatusOK, seg)
		return nil
	})
}

// handleSegmentPatch serves PATCH /customers/segments/{id}: a JSON merge
// patch of the writable fields, validated as on create, so a patch of
// rules adds, changes (a value) or removes (null) single rules. If-Match
// as for customers.
func handleSegmentPatch(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "segment_id")
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		patch, err := readMergePatch(r, &analytics.SegmentInput{}, segmentOwned, nil)
		if err != nil {
			return err
		}
		version, err := pre.ifVersion(currentSegmentVersion(r.Context(), svc, id))
		if err != nil {
			return err
		}
		seg, err := svc.UpdateSegment(r.Context(), id, version, patchEdit[analytics.SegmentInput](patch))
		if err != nil {
			return err
		}
		setETag(w, seg.Version)
		encode(w, r, http.StatusOK, seg)
		return nil
	})
}

// handleSegmentDelete serves DELETE /customers/segments/{id}: 204. If-Match,
// when sent, must name the current version.
func handleSegmentDelete(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "segment_id")
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		version, err := pre.ifVersion(currentSegmentVersion(r.Context(), svc, id))
		if err != nil {
			return err
		}
		if err := svc.DeleteSegment(r.Context(), id, version); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// currentSegmentVersion reads the version of a segment when a
// precondition needs it.
func currentSegmentVersion(ctx context.Context, svc *analytics.Service, id string) func() (int64, error) {
	return func() (int64, error) {
		seg, err := svc.GetSegment(ctx, id)
		if err != nil {
			return 0, err
		}
		return seg.Version, nil
	}
}
