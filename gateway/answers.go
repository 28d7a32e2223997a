package gateway

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Answers. Every answer carries X-Ca-Request-Id. The gateway's own errors
// carry X-Ca-Error-Code and X-Ca-Error-Message, with the codes and statuses
// of Alibaba's table "Error codes for API Gateway instances of the VPC
// type"; a backend's answer passes through without them. Refusals of the
// network (the proxy's credentials, the name's reachability, a host that is
// not Gatehouse's) are not API Gateway's errors but the network's: they
// carry X-Gatehouse-Refused instead, with the reason in the body.

// Header names.
const (
	headerRequestID    = "X-Ca-Request-Id"
	headerErrorCode    = "X-Ca-Error-Code"
	headerErrorMessage = "X-Ca-Error-Message"
	headerStage        = "X-Ca-Stage"
	// HeaderRefused names the rule (R2…R11) or the proxy's check that
	// refused a call before it reached API Gateway.
	HeaderRefused = "X-Gatehouse-Refused"
)

// apiError is one row of Alibaba's table: a six-character code whose
// middle digits are the HTTP status.
type apiError struct {
	Code    string
	Status  int
	Message string // the table's message; %s stands for the row's detail when it has one
}

// The rows of the table the gateway answers with.
var (
	errBadHeader       = apiError{"I400HD", http.StatusBadRequest, "Invalid Header `%s`"}
	errBadStage        = apiError{"I400SG", http.StatusBadRequest, "Invalid Stage `%s`"}
	errBadPath         = apiError{"I400PA", http.StatusBadRequest, "Invalid Request Path `%s`"}
	errBadMethod       = apiError{"I405UM", http.StatusMethodNotAllowed, "Unsupported Method `%s`"}
	errProtocol        = apiError{"I403PT", http.StatusForbidden, "Invalid protocol %s unsupported"}
	errBodyTooLarge    = apiError{"I413RL", http.StatusRequestEntityTooLarge, "Request body too Large"}
	errURLTooLarge     = apiError{"I413UL", http.StatusRequestEntityTooLarge, "Request URL too Large"}
	errUnknownDomain   = apiError{"I404DO", http.StatusNotFound, "Invalid Domain `%s`"}
	errNoAPI           = apiError{"I404NF", http.StatusNotFound, "API not found %s"}
	errInternetOff     = apiError{"A403IN", http.StatusForbidden, "Internet access to this API is disabled %s"}
	errDailyLimit      = apiError{"T429ID", http.StatusTooManyRequests, "Throttled by INNER DOMAIN Flow Control %s"}
	errBackendConnect  = apiError{"D504CO", http.StatusGatewayTimeout, "Backend service connect failed `%s`"}
	errBackendTimeout  = apiError{"D504TO", http.StatusGatewayTimeout, "Backend service request timeout"}
	errBackendResponse = apiError{"D504RE", http.StatusGatewayTimeout, "Backend service read response failed `%s`"}
	errInternal        = apiError{"X500ER", http.StatusInternalServerError, "Internal Error, please try again"}
)

// message fills the row's message with detail.
func (e apiError) message(detail string) string {
	if !strings.Contains(e.Message, "%s") {
		return e.Message
	}
	return strings.TrimSpace(strings.Replace(e.Message, "%s", detail, 1))
}

// writeAPIError answers with a row of the table: the code and message in
// the headers and the message as the body, so a person reading the body
// of a curl call sees it too.
func writeAPIError(w http.ResponseWriter, e apiError, detail string) {
	msg := headerSafe(e.message(detail))
	h := w.Header()
	h[headerErrorCode] = []string{e.Code}
	h[headerErrorMessage] = []string{msg}
	writeText(w, e.Status, msg+"\n")
}

// writeRefusal answers a refusal of the network: status (502 for a name
// the caller cannot reach, 403 for a host outside Gatehouse, 407 for the
// proxy's credentials), X-Gatehouse-Refused: rule, and the reason.
func writeRefusal(w http.ResponseWriter, status int, rule, reason string) {
	w.Header()[HeaderRefused] = []string{rule}
	writeText(w, status, "Gatehouse refused the call ("+rule+"): "+reason+"\n")
}

var textPlain = []string{"text/plain; charset=utf-8"}

func writeText(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h["Content-Type"] = textPlain
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body)) // the caller hung up: nothing to do
}

// headerSafe keeps a message fit for a header value: printable ASCII
// only (a request's path or header may hold anything), at most 512 bytes.
func headerSafe(s string) string {
	const max = 512
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			clean = false
			break
		}
	}
	if clean && len(s) <= max {
		return s
	}
	b := make([]byte, 0, min(len(s), max))
	for i := 0; i < len(s) && len(b) < max; i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// requestIDs makes X-Ca-Request-Id values in Alibaba's form (a UUID in
// upper-case hex): a random prefix drawn at start and a counter, so ids are
// unique across the process's life and across restarts, at the cost of an
// atomic add.
type requestIDs struct {
	prefix [8]byte
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	ids := &requestIDs{}
	var start [8]byte
	_, _ = rand.Read(ids.prefix[:]) // never fails (crypto/rand panics instead)
	_, _ = rand.Read(start[:])
	ids.n.Store(binary.BigEndian.Uint64(start[:]))
	return ids
}

// next returns a new id: 8-4-4-4-12 upper-case hex digits.
func (ids *requestIDs) next() string {
	var raw [16]byte
	copy(raw[:8], ids.prefix[:])
	binary.BigEndian.PutUint64(raw[8:], ids.n.Add(1))
	const digits = "0123456789ABCDEF"
	var out [36]byte
	j := 0
	for i, b := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = digits[b>>4], digits[b&0x0f]
		j += 2
	}
	return string(out[:])
}
