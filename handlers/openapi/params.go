package openapi

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// param is one request parameter, from the query string or the form body.
type param struct{ name, value string }

// params are a request's parameters sorted by name (byte order), the order
// the signature canonicalises them in. A name appears once.
type params []param

// appendParams parses an application/x-www-form-urlencoded string (a raw
// query or a form body) onto dst. '+' is a space; empty segments are
// skipped.
func appendParams(dst params, raw string) (params, *apiError) {
	for raw != "" {
		var seg string
		seg, raw, _ = strings.Cut(raw, "&")
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			return dst, invalidParameter(k, "its name is not percent-encoded correctly.")
		}
		if name == "" {
			return dst, invalidParameter("", "a parameter has no name.")
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return dst, invalidParameter(name, "its value is not percent-encoded correctly.")
		}
		dst = append(dst, param{name, value})
	}
	return dst, nil
}

// sortParams sorts by name and refuses a name given twice (in the query and
// the form, or twice in one): what was signed would be ambiguous.
func sortParams(ps params) *apiError {
	slices.SortFunc(ps, func(a, b param) int { return cmp.Compare(a.name, b.name) })
	for i := 1; i < len(ps); i++ {
		if ps[i].name == ps[i-1].name {
			return invalidParameter(ps[i].name, "it is given more than once.")
		}
	}
	return nil
}

// get returns a parameter's value and whether it was given.
func (ps params) get(name string) (string, bool) {
	i, ok := slices.BinarySearchFunc(ps, name, func(p param, n string) int { return cmp.Compare(p.name, n) })
	if !ok {
		return "", false
	}
	return ps[i].value, true
}

// str returns a parameter's value, "" when absent.
func (ps params) str(name string) string {
	v, _ := ps.get(name)
	return v
}

// required returns a parameter that must be given and not empty.
func (ps params) required(name string) (string, error) {
	v, ok := ps.get(name)
	if !ok || v == "" {
		return "", missingParameter(name)
	}
	return v, nil
}

// optional returns a pointer to a parameter's value, nil when absent: a
// change that keeps what is not given.
func (ps params) optional(name string) *string {
	v, ok := ps.get(name)
	if !ok {
		return nil
	}
	return &v
}

// boolean reads "true" or "false" (any case); absent or empty is def.
func (ps params) boolean(name string, def bool) (bool, error) {
	v := ps.str(name)
	switch {
	case v == "":
		return def, nil
	case strings.EqualFold(v, "true"):
		return true, nil
	case strings.EqualFold(v, "false"):
		return false, nil
	}
	return false, invalidParameter(name, "%q is neither true nor false.", v)
}

// paging reads PageNumber (from 1, default 1) and PageSize (default 10,
// capped at 50), Alibaba Cloud's defaults.
func (ps params) paging() (number, size int, err error) {
	number, size = 1, defaultPageSize
	if v := ps.str("PageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > math.MaxInt32 {
			return 0, 0, invalidParameter("PageNumber", "%q is not a page number; pages are numbered from 1.", v)
		}
		number = n
	}
	if v := ps.str("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, invalidParameter("PageSize", "%q is not a page size; give 1 to %d.", v, maxPageSize)
		}
		size = min(n, maxPageSize)
	}
	return number, size, nil
}

// Page sizes of the Describe actions.
const (
	defaultPageSize = 10
	maxPageSize     = 50
)

// page cuts one page out of a list of n items: the bounds [lo, hi).
func page(n, number, size int) (lo, hi int) {
	if number-1 > n/size { // past the end (and no overflow below)
		return n, n
	}
	lo = (number - 1) * size
	return lo, min(lo+size, n)
}
