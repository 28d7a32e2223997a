package rules

import (
	"net/url"
	"strings"
)

// The path matcher: which deployed API of a group and stage answers a call,
// given its method and path, and the values its placeholders take. The
// gateway builds one Router per group and stage from the store's snapshot
// of deployments (NewRouteTables) and asks it on every call, so matching
// walks a tree of path segments and allocates nothing unless a segment is
// percent-encoded.
//
// Precedence, when several APIs could answer a call:
//
//  1. The most specific path wins: paths are compared segment by segment
//     from the left, and at the first segment where they differ a literal
//     beats a placeholder (/users/me beats /users/[id]; /a/[x]/c beats
//     /a/[x]/[y]; /a/b/[y] beats /a/[x]/c).
//  2. Among the paths that match, the most specific one that has the
//     call's method or ANY answers; on it, the exact method beats ANY.
//     So with GET /users/me and POST /users/[id], a POST to /users/me
//     reaches the second.
//  3. A path that matches without any API for the method answers
//     MatchMethodNotAllowed; no path at all, MatchNoPath.
//
// ANY answers GET, POST, PUT, DELETE, PATCH, HEAD and OPTIONS; any other
// method (TRACE, CONNECT, …) is never matched. HEAD is its own method: a
// GET API does not answer HEAD. Paths are case-sensitive, a trailing slash
// is significant (/users/ is not /users), and a placeholder takes one whole
// non-empty segment. Give Match the path as sent (URL.EscapedPath): a
// segment with %-escapes is decoded before it is compared or handed out as
// a value, so an encoded / stays inside its segment.

// PathParam is the value a placeholder took in a matched path.
type PathParam struct {
	Name  string
	Value string
}

// MatchOutcome says how a call's method and path met a Router.
type MatchOutcome int

const (
	MatchFound            MatchOutcome = iota // an API answers
	MatchNoPath                               // no API has the path (I404NF)
	MatchMethodNotAllowed                     // APIs have the path, none the method (or ANY)
)

// Router finds the deployed API that answers a call in one group and
// stage. It is immutable once built and safe for concurrent use.
type Router struct {
	root routeNode
	n    int
}

type routeNode struct {
	literal map[string]*routeNode
	param   *routeNode
	methods [len(apiMethods)]*route // by methodIndex; ANY in the last slot
}

// route is a deployment at its leaf, with its placeholders' names in path
// order.
type route struct {
	d      *Deployment
	params []string
}

// RouteKey names one Router of NewRouteTables: a group and a stage.
type RouteKey struct {
	GroupID string
	Stage   Stage
}

// NewRouteTables builds one Router per group and stage of the deployments.
func NewRouteTables(ds []Deployment) map[RouteKey]*Router {
	by := map[RouteKey][]Deployment{}
	for _, d := range ds {
		k := RouteKey{d.GroupID, d.Stage}
		by[k] = append(by[k], d)
	}
	out := make(map[RouteKey]*Router, len(by))
	for k, list := range by {
		out[k] = NewRouter(list)
	}
	return out
}

// NewRouter builds the Router of the deployments of one group and stage.
// A deployment whose path is not valid, or whose method and path shape an
// earlier one of the list already has, is left out (the store never holds
// such; Len tells how many were kept).
func NewRouter(ds []Deployment) *Router {
	r := &Router{}
	for i := range ds {
		d := ds[i] // the Router keeps its own copy
		mi := methodIndex(d.Definition.Method)
		segs, msg := parsePath(d.Definition.Path, "", RequestPathMax)
		if mi < 0 || msg != "" {
			continue
		}
		n := &r.root
		var names []string
		for _, s := range segs {
			if s.param != "" {
				names = append(names, s.param)
				if n.param == nil {
					n.param = &routeNode{}
				}
				n = n.param
				continue
			}
			child := n.literal[s.literal]
			if child == nil {
				if n.literal == nil {
					n.literal = map[string]*routeNode{}
				}
				child = &routeNode{}
				n.literal[s.literal] = child
			}
			n = child
		}
		if n.methods[mi] != nil {
			continue
		}
		n.methods[mi] = &route{d: &d, params: names}
		r.n++
	}
	return r
}

// Len is the number of deployments the Router answers with.
func (r *Router) Len() int { return r.n }

// Match finds the API that answers method and path (see the precedence
// above). The placeholders' values are appended to params, which the
// caller may pass with room to spare (params[:0] of a reused slice) so that
// nothing is allocated; on any outcome but MatchFound params comes back as
// it was given. The *Deployment belongs to the Router: read it, never
// change it.
func (r *Router) Match(method, path string, params []PathParam) (*Deployment, []PathParam, MatchOutcome) {
	if r == nil || path == "" || path[0] != '/' {
		return nil, params, MatchNoPath
	}
	mi := methodIndex(method)
	if mi == anyIndex { // "ANY" is not a method a call can have
		mi = -1
	}
	base := len(params)
	rt, out, pathSeen := r.root.match(path[1:], mi, params)
	if rt == nil {
		if pathSeen {
			return nil, params[:base], MatchMethodNotAllowed
		}
		return nil, params[:base], MatchNoPath
	}
	for i, name := range rt.params {
		out[base+i].Name = name
	}
	return rt.d, out, MatchFound
}

// match matches rest (the path after this node's segment and its /)
// against the subtree. Values of placeholders are appended to params as
// the walk descends and dropped when it backs out. pathSeen reports that
// some leaf had the path, whatever its methods.
func (n *routeNode) match(rest string, mi int, params []PathParam) (rt *route, out []PathParam, pathSeen bool) {
	if rest == "" {
		rt = n.leaf(mi)
		return rt, params, rt != nil || n.hasRoutes()
	}
	// rest is "" only at the end of the path: an empty segment (// or a
	// trailing /) matches nothing.
	seg, tail, more := strings.Cut(rest, "/")
	if seg == "" || more && tail == "" {
		return nil, params, false
	}
	value := seg
	if strings.IndexByte(seg, '%') >= 0 {
		v, err := url.PathUnescape(seg)
		if err != nil {
			return nil, params, false
		}
		value = v
	}
	var seen bool
	if child := n.literal[value]; child != nil {
		rt, out, s := child.match(tail, mi, params)
		if rt != nil {
			return rt, out, true
		}
		seen = s
	}
	if n.param != nil {
		rt, out, s := n.param.match(tail, mi, append(params, PathParam{Value: value}))
		if rt != nil {
			return rt, out, true
		}
		seen = seen || s
	}
	return nil, params, seen
}

// leaf picks the node's route for the method: the exact one, else ANY.
func (n *routeNode) leaf(mi int) *route {
	if mi >= 0 && n.methods[mi] != nil {
		return n.methods[mi]
	}
	if mi >= 0 {
		return n.methods[anyIndex]
	}
	return nil
}

func (n *routeNode) hasRoutes() bool {
	for _, r := range n.methods {
		if r != nil {
			return true
		}
	}
	return false
}
