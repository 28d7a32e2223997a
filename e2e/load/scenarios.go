package main

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Scenario names, as the table shows them.
const (
	nameBare       = "Bare Echo handler (fixed string)"
	nameGroups     = "API Groups, first page"
	nameSearch     = "API Groups, name search"
	nameDetail     = "Group Details"
	nameToggle     = "Enable/disable VPC domain (POST)"
	nameDescribe   = "DescribeApiGroups, signed, PageSize 50"
	nameDescribeV3 = "DescribeApiGroups, signed V3, PageSize 50"
	nameAPIs       = "DescribeApis, signed, PageSize 50"
	nameAPIList    = "APIs, first page"
)

// test is a scenario with what comes before it runs: setup gives the
// clients their state (may be nil), check checks one answer. addr, when
// set, is another server of the same process the clients connect to.
type test struct {
	scenario
	addr  string
	tls   *tls.Config // the scenario speaks HTTPS to addr
	setup func(ws []*worker)
	check func(w *worker) (sample, error)
}

// sample describes one checked answer: its size as sent and decompressed.
type sample struct {
	wire, plain int64
	encoding    string
}

func bareScenario() test {
	return test{
		scenario: scenario{name: nameBare, want: 200, next: func(w *worker, _ int, dst []byte) []byte {
			return w.b.appendGet(dst, "/")
		}},
		check: checkPage("/", 200, regexp.MustCompile(`^ok`)),
	}
}

// searchKeywords are what an operator types in the name search: the start
// of a word of the generated names, each matching about a tenth of them.
var searchKeywords = []string{"pay", "order", "user", "inv", "bill", "auth", "cata", "noti", "ship", "sear"}

// listScenarios are the API Groups page: the first page, and a name search.
func listScenarios(db *database) []test {
	total := regexp.MustCompile(`id="groups-count">` + regexp.QuoteMeta(thousands(db.groups)) + ` groups<`)
	someRows := regexp.MustCompile(`id="groups-count">[0-9,]+ groups<(?s:.*)<tbody>\s*<tr>`)
	searches := make([]string, len(searchKeywords))
	for i, k := range searchKeywords {
		searches[i] = "/groups?q=" + url.QueryEscape(k)
	}
	return []test{
		{
			scenario: scenario{name: nameGroups, want: 200, next: func(w *worker, _ int, dst []byte) []byte {
				return w.b.appendGet(dst, "/groups")
			}},
			check: checkPage("/groups", 200, total),
		},
		{
			scenario: scenario{name: nameSearch, want: 200, next: func(w *worker, i int, dst []byte) []byte {
				return w.b.appendGet(dst, searches[(w.id+i)%len(searches)])
			}},
			check: checkPage(searches[0], 200, someRows),
		},
	}
}

// bigScenarios are every scenario run on the large database.
func bigScenarios(db *database, srv *server) []test {
	details := make([]string, len(db.details))
	for i, id := range db.details {
		details[i] = "/groups/" + id
	}
	tests := listScenarios(db)
	tests = append(tests,
		test{
			scenario: scenario{name: nameDetail, want: 200, next: func(w *worker, i int, dst []byte) []byte {
				return w.b.appendGet(dst, details[(w.id*7+i)%len(details)])
			}},
			check: checkPage(details[0], 200, regexp.MustCompile(regexp.QuoteMeta(db.details[0]))),
		},
		apiListScenario(db),
		toggleScenario(db),
		describeScenario(db, srv.addrs["openapi"], describeGroups),
		describeScenario(db, srv.addrs["openapi"], describeGroupsV3),
		describeScenario(db, srv.addrs["openapi"], describeAPIs),
	)
	return tests
}

// apiListScenario is the console's APIs page (Manage APIs › APIs) of the
// account's 200,000 APIs: 20 rows with their groups and stages, and the
// total.
func apiListScenario(db *database) test {
	total := regexp.MustCompile(`id="apis-count">` + regexp.QuoteMeta(thousands(db.apis)) + ` APIs<(?s:.*)<tbody>\s*<tr>`)
	return test{
		scenario: scenario{name: nameAPIList, want: 200, next: func(w *worker, _ int, dst []byte) []byte {
			return w.b.appendGet(dst, "/apis")
		}},
		check: checkPage("/apis", 200, total),
	}
}

// toggleScenario: every client enables and disables the VPC domain of its
// own group on a shared instance (where enabling is always allowed), so
// each 303 is a committed change; the writes of all clients contend for
// the one database.
func toggleScenario(db *database) test {
	next := func(w *worker, _ int, dst []byte) []byte {
		action := "enable"
		if w.enabled {
			action = "disable"
		}
		return w.b.appendPost(dst, "/groups/"+w.toggle+"/vpc-domain/"+action, "_csrf="+url.QueryEscape(w.b.csrf))
	}
	return test{
		scenario: scenario{name: nameToggle, want: 303, next: next,
			done: func(w *worker, r *response) {
				if r.status == 303 {
					w.enabled = !w.enabled
				}
			}},
		setup: func(ws []*worker) {
			for _, w := range ws {
				w.toggle, w.enabled = db.toggles[w.id], false
			}
		},
		// Client 0 enables its group's VPC domain and disables it again.
		check: func(w *worker) (sample, error) {
			var s sample
			for range 2 {
				w.seq++
				r, err := w.b.send(next(w, w.seq, nil), true)
				if err != nil {
					return s, err
				}
				if r.status != 303 {
					body, _ := plainBody(r)
					return s, fmt.Errorf("toggle %s: status %d, want 303:\n%.400s", w.toggle, r.status, body)
				}
				w.enabled = !w.enabled
				s = sample{wire: int64(r.wire), plain: int64(len(r.body)), encoding: r.encoding}
			}
			return s, nil
		},
	}
}

// describeCall is a Describe action as a load scenario: the action, its
// parameters beside PageSize 50 and PageNumber 1, the field each of the 50
// items of an answer holds, and the signature.
type describeCall struct {
	name, action, item string
	params             []param
	v3                 bool
}

var (
	describeGroups   = describeCall{name: nameDescribe, action: "DescribeApiGroups", item: `"GroupId"`, params: []param{{"RegionId", "cn-hangzhou"}}}
	describeGroupsV3 = describeCall{name: nameDescribeV3, action: "DescribeApiGroups", item: `"GroupId"`, params: []param{{"RegionId", "cn-hangzhou"}}, v3: true}
	describeAPIs     = describeCall{name: nameAPIs, action: "DescribeApis", item: `"ApiId"`} // the account's 200,000 APIs
)

// describeScenario: signed calls of a Describe action as the SDKs make them
// (the first page of 50, a new nonce and the current time in every
// request), on the OpenAPI endpoint: signed with 1.0 as the classic SDK
// does, or with V3 (ACS3-HMAC-SHA256) as the current ones do.
func describeScenario(db *database, addr string, dc describeCall) test {
	name, v3, s := dc.name, dc.v3, signer{keyID: db.keyID, secret: db.secret}
	if v3 {
		s = signer{keyID: db.keyV3, secret: db.secretV3}
	}
	var raw [6]byte
	_, _ = rand.Read(raw[:])
	run := hex.EncodeToString(raw[:])
	next := func(w *worker, i int, dst []byte) []byte {
		nonce := run + "-" + strconv.Itoa(w.id) + "-" + strconv.Itoa(i)
		params := append(dc.params[:len(dc.params):len(dc.params)], param{"PageSize", "50"}, param{"PageNumber", "1"})
		if v3 {
			r := s.v3("GET", addr, "2016-07-14", dc.action, nonce, time.Now(), params...)
			dst = append(dst, "GET /?"...)
			dst = append(dst, r.query...)
			dst = append(dst, " HTTP/1.1\r\nHost: "...)
			dst = append(dst, addr...)
			dst = append(dst, "\r\nUser-Agent: AlibabaCloud (linux; amd64) Golang/1.26.8 Core/0.01 TeaDSL/2\r\naccept: application/json\r\n"...)
			for _, h := range r.headers {
				dst = append(dst, h.name...)
				dst = append(dst, ": "...)
				dst = append(dst, h.value...)
				dst = append(dst, "\r\n"...)
			}
			return append(dst, "Accept-Encoding: gzip\r\n\r\n"...)
		}
		q := s.query("GET", "2016-07-14", nonce, time.Now(), append(params, param{"Action", dc.action})...)
		dst = append(dst, "GET /?"...)
		dst = append(dst, q...)
		dst = append(dst, " HTTP/1.1\r\nHost: "...)
		dst = append(dst, addr...)
		return append(dst, "\r\nUser-Agent: AlibabaCloud (linux; amd64) Go/go1.26 Core/1.63.107 HaveFunc\r\n"+
			"x-sdk-client: golang/1.0.0\r\nx-sdk-invoke-type: normal\r\nx-acs-credentials-provider: static_ak\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nAccept-Encoding: gzip\r\n\r\n"...)
	}
	return test{
		scenario: scenario{name: name, want: 200, next: next},
		addr:     addr,
		check: func(w *worker) (sample, error) {
			w.seq++
			r, err := w.b.send(next(w, w.seq, nil), true)
			if err != nil {
				return sample{}, err
			}
			body, err := plainBody(r)
			if err != nil {
				return sample{}, err
			}
			if r.status != 200 || !strings.Contains(string(body), `"PageSize":50`) || strings.Count(string(body), dc.item) != 50 {
				return sample{}, fmt.Errorf("%s: status %d, want 200 and 50 items with %s:\n%.400s", name, r.status, dc.item, body)
			}
			return sample{wire: int64(r.wire), plain: int64(len(body)), encoding: r.encoding}, nil
		},
	}
}

// checkPage GETs path once and checks the status and the page.
func checkPage(path string, want int, must *regexp.Regexp) func(w *worker) (sample, error) {
	return func(w *worker) (sample, error) {
		r, err := w.b.send(w.b.appendGet(nil, path), true)
		if err != nil {
			return sample{}, err
		}
		body, err := plainBody(r)
		if err != nil {
			return sample{}, err
		}
		if r.status != want || !must.Match(body) {
			return sample{}, fmt.Errorf("GET %s: status %d (want %d), page matches %q: %t:\n%.600s", path, r.status, want, must, must.Match(body), body)
		}
		return sample{wire: int64(r.wire), plain: int64(len(body)), encoding: r.encoding}, nil
	}
}

// thousands writes n with thousands separators, as the console does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
