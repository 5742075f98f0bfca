package httpapi

import (
	"strings"
	"testing"
)

// TestRouteTableDocumentsItself checks the one source of the document:
// every row of every module carries an operation and the modules'
// components do not collide, while a row without an operation or a
// component defined twice is refused.
func TestRouteTableDocumentsItself(t *testing.T) {
	comps, err := componentsOf(allModules)
	if err != nil {
		t.Fatalf("componentsOf: %v", err)
	}
	if _, err := openAPIJSON(stubServer(nil).routesOf(allModules), comps); err != nil {
		t.Errorf("openAPIJSON: %v", err)
	}
	if _, err := openAPIJSON([]route{{method: "GET", path: "/x", role: RoleViewer}}, comps); err == nil || !strings.Contains(err.Error(), "GET /x has no operation") {
		t.Errorf("a row without an operation: err = %v", err)
	}
	if err := comps.add(components{schemas: obj{"Problem": obj{}}}); err == nil || !strings.Contains(err.Error(), "schema Problem is defined twice") {
		t.Errorf("a schema defined twice: err = %v", err)
	}
}
