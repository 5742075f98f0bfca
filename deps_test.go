package crm_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is the import path of this module.
const module = "github.com/ispstack/crm"

// domainPackages hold the business rules; they know nothing of storage or
// transport. A new domain module is added here.
var domainPackages = []string{"customer", "contact", "document", "verify", "analytics", "bulk"}

// pkgInfo is what go list tells of one package of the module.
type pkgInfo struct {
	imports []string // direct imports
	deps    []string // every package it depends on, transitively
}

// listPackages runs go list over the module (tests excluded: test files may
// wire stores together).
func listPackages(t *testing.T) map[string]pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkgInfo{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "|")
		if len(parts) != 3 {
			t.Fatalf("go list line %q", sc.Text())
		}
		pkgs[parts[0]] = pkgInfo{imports: strings.Fields(parts[1]), deps: strings.Fields(parts[2])}
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

// TestDependencyDirection keeps the layers of DESIGN.md: crm imports no
// package of the module; domain packages import neither store, httpapi,
// Bun nor net/http (except bulk/notify, whose SMS notifier is an HTTP
// client of a gateway, not a part of the API); httpapi imports no store
// implementation; Bun is used only inside pgstore.
func TestDependencyDirection(t *testing.T) {
	pkgs := listPackages(t)
	forbid := func(pkg string, deps []string, bad func(dep string) bool, why string) {
		for _, d := range deps {
			if bad(d) {
				t.Errorf("%s depends on %s: %s", pkg, d, why)
			}
		}
	}
	under := func(prefix string) func(string) bool {
		return func(d string) bool { return d == prefix || strings.HasPrefix(d, prefix+"/") }
	}
	isBun := under("github.com/uptrace/bun")
	for path, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
		top, _, _ := strings.Cut(rel, "/")
		switch {
		case rel == "":
			forbid(path, p.deps, under(module), "crm is the shared vocabulary and imports nothing of the module")
		case slices.Contains(domainPackages, top):
			forbid(path, p.deps, under(module+"/store"), "domain packages declare the Repository they need instead")
			forbid(path, p.deps, under(module+"/httpapi"), "domain packages know nothing of HTTP")
			forbid(path, p.deps, isBun, "Bun stays inside pgstore")
			if rel != "bulk/notify" {
				forbid(path, p.imports, func(d string) bool { return d == "net/http" }, "domain packages know nothing of HTTP")
			}
		case top == "httpapi":
			forbid(path, p.deps, under(module+"/store/memstore"), "httpapi takes any store.Store")
			forbid(path, p.deps, under(module+"/store/pgstore"), "httpapi takes any store.Store")
		}
		if !strings.HasPrefix(rel, "store/pgstore") {
			forbid(path, p.imports, isBun, "Bun types live only in pgstore")
		}
	}
}
