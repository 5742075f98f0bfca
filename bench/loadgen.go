package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// runResult is what one load run measured.
type runResult struct {
	tool     string // "wrk" or "go"
	requests int64
	elapsed  time.Duration
	rps      float64
	p50, p95 time.Duration
	p99, max time.Duration
	errors   int64                   // non-2xx responses and socket errors
	firstErr string                  // a sample of what went wrong
	toolCPU  time.Duration           // CPU time of wrk
	foreign  float64                 // cores busy with other processes meanwhile; -1 unknown
	byKind   map[string]*kindLatency // the Go client's per-kind figures
}

// kindLatency are the latencies of one kind of request.
type kindLatency struct {
	n        int
	p50, p95 time.Duration
	max      time.Duration
	errors   int
}

// wrkScript GETs a random line of the paths file (args[1]) with an optional
// bearer key (args[2]) and prints the figures wrk's --latency table lacks
// (p95) on one line for parseWrk.
const wrkScript = `-- bench/loadgen.go: GET a random path from a file.
local paths = {}
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  if args[2] and args[2] ~= "" then wrk.headers["Authorization"] = "Bearer " .. args[2] end
  math.randomseed(os.time() * 1000 + tid)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  io.write(string.format("BENCHRESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d max=%d status=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
`

// wrkRunner drives wrk.
type wrkRunner struct {
	bin    string // path of the wrk binary
	script string // path of wrkScript on disk
}

// newWrkRunner writes the script into dir; nil when wrk is not installed.
func newWrkRunner(bin, dir string) (*wrkRunner, error) {
	if bin == "" {
		return nil, nil
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, nil
	}
	script := filepath.Join(dir, "random-path.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return nil, err
	}
	return &wrkRunner{bin: path, script: script}, nil
}

// run runs wrk against baseURL for d with conns connections, each request
// a random path of pathsFile.
func (w *wrkRunner) run(ctx context.Context, baseURL, pathsFile, key string, conns int, d time.Duration) (*runResult, error) {
	threads := min(2, conns)
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", fmt.Sprintf("%ds", max(1, int(d.Round(time.Second).Seconds()))),
		"--timeout", "10s", "-s", w.script, baseURL, "--", pathsFile, key}
	cmd := exec.CommandContext(ctx, w.bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	r, err := parseWrk(out)
	if err != nil {
		return nil, err
	}
	r.toolCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return r, nil
}

var wrkResultLine = regexp.MustCompile(`BENCHRESULT (.*)`)

// parseWrk reads the BENCHRESULT line of the script's done().
func parseWrk(out []byte) (*runResult, error) {
	m := wrkResultLine.FindSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("no BENCHRESULT line in wrk's output:\n%s", out)
	}
	v := map[string]int64{}
	for _, f := range strings.Fields(string(m[1])) {
		k, s, _ := strings.Cut(f, "=")
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("wrk output %q: %w", f, err)
		}
		v[k] = n
	}
	us := func(k string) time.Duration { return time.Duration(v[k]) * time.Microsecond }
	r := &runResult{
		tool: "wrk", requests: v["requests"], elapsed: us("duration_us"),
		p50: us("p50"), p95: us("p95"), p99: us("p99"), max: us("max"),
		errors: v["status"] + v["connect"] + v["read"] + v["write"] + v["timeout"],
	}
	if r.errors > 0 {
		r.firstErr = fmt.Sprintf("wrk: %d non-2xx, %d connect, %d read, %d write, %d timeout errors", v["status"], v["connect"], v["read"], v["write"], v["timeout"])
	}
	if r.elapsed > 0 {
		r.rps = float64(r.requests) / r.elapsed.Seconds()
	}
	return r, nil
}

// request is one request of the Go client.
type request struct {
	kind   string // for the per-kind latencies
	method string
	path   string
	body   []byte
}

// nextFunc makes the next request of a worker.
type nextFunc func(r *rand.Rand) request

// goClient is the built-in closed-loop load generator: workers each send a
// request, wait for the whole response, record its latency, and repeat.
type goClient struct {
	client *http.Client
	key    string
}

func newGoClient(key string, conns int) *goClient {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &goClient{client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, key: key}
}

// sample is one measured request.
type sample struct {
	kind string
	d    time.Duration
	ok   bool
}

// run sends requests made by next to baseURL from workers goroutines for d.
func (g *goClient) run(ctx context.Context, baseURL string, workers int, d time.Duration, next nextFunc) *runResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	per := make([][]sample, workers)
	var firstErr sync.Once
	res := &runResult{tool: "go", byKind: map[string]*kindLatency{}}
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
			for ctx.Err() == nil {
				req := next(rng)
				t0 := time.Now()
				status, body, err := g.do(ctx, baseURL, req)
				el := time.Since(t0)
				if ctx.Err() != nil {
					return // cut off by the deadline: not a whole request
				}
				ok := err == nil && status >= 200 && status < 300
				if !ok {
					firstErr.Do(func() {
						res.firstErr = fmt.Sprintf("%s %s: status %d, error %v: %.300s", req.method, req.path, status, err, body)
					})
				}
				per[w] = append(per[w], sample{req.kind, el, ok})
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	all := slices.Concat(per...)
	res.requests = int64(len(all))
	res.rps = float64(len(all)) / res.elapsed.Seconds()
	kinds := map[string][]time.Duration{}
	var ds []time.Duration
	for _, s := range all {
		ds = append(ds, s.d)
		kinds[s.kind] = append(kinds[s.kind], s.d)
		if !s.ok {
			res.errors++
		}
	}
	res.p50, res.p95, res.p99, res.max = percentiles(ds)
	for k, v := range kinds {
		kl := &kindLatency{n: len(v)}
		kl.p50, kl.p95, _, kl.max = percentiles(v)
		res.byKind[k] = kl
	}
	for _, s := range all {
		if !s.ok {
			res.byKind[s.kind].errors++
		}
	}
	return res
}

// do sends one request and reads the whole response.
func (g *goClient) do(ctx context.Context, baseURL string, req request) (int, []byte, error) {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, baseURL+req.path, body)
	if err != nil {
		return 0, nil, err
	}
	if g.key != "" {
		hr.Header.Set("Authorization", "Bearer "+g.key)
	}
	if req.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.client.Do(hr)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// percentiles returns the 50th, 95th and 99th percentiles and the maximum
// (nearest rank).
func percentiles(ds []time.Duration) (p50, p95, p99, maxD time.Duration) {
	if len(ds) == 0 {
		return
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return at(0.50), at(0.95), at(0.99), s[len(s)-1]
}

// loadGen runs GET throughput tests with wrk when installed and the Go
// client otherwise.
type loadGen struct {
	wrk *wrkRunner
	dir string // where paths files are written
	key string
}

// pathsFile writes paths, one a line, to a file named name and returns its path.
func (l *loadGen) pathsFile(name string, paths []string) (string, error) {
	p := filepath.Join(l.dir, name)
	return p, os.WriteFile(p, []byte(strings.Join(paths, "\n")+"\n"), 0o644)
}

// get measures GETs of random lines of pathsFile (paths) against baseURL
// with conns connections for d, after a warm-up of warm.
func (l *loadGen) get(ctx context.Context, baseURL, pathsFile string, paths []string, conns int, warm, d time.Duration) (*runResult, error) {
	waitQuiet()
	if l.wrk != nil {
		if warm > 0 {
			if _, err := l.wrk.run(ctx, baseURL, pathsFile, l.key, conns, warm); err != nil {
				return nil, err
			}
		}
		return measured(func() (*runResult, error) { return l.wrk.run(ctx, baseURL, pathsFile, l.key, conns, d) })
	}
	g := newGoClient(l.key, conns)
	next := func(r *rand.Rand) request {
		return request{kind: "get", method: http.MethodGet, path: paths[r.IntN(len(paths))]}
	}
	if warm > 0 {
		g.run(ctx, baseURL, conns, warm, next)
	}
	return measured(func() (*runResult, error) { return g.run(ctx, baseURL, conns, d, next), nil })
}
