package gateway

import (
	"net/http"
	"time"

	"gatehouse/rules"
)

// Every answered call is counted and kept among the recent calls
// (traffic.go); a Recorder, when configured, hears of it too, and costs
// nothing when there is none.

// Recorder is told of every call once it is answered. Record runs on the
// call's goroutine, after the answer: it must be quick and must not block.
type Recorder interface {
	Record(Call)
}

// Call is one answered call as a Recorder sees it.
type Call struct {
	ID       string // X-Ca-Request-Id
	Start    time.Time
	Duration time.Duration
	Network  Network          // where the call came from
	Protocol rules.Protocol   // HTTP or HTTPS
	Host     string           // the name called, normalised; "" when the request named none of Gatehouse's
	Domain   rules.DomainKind // what the name is
	GroupID  string           // the group behind the name, "" when none
	Account  string           // the group's account: whose traffic it is
	APIID    string           // the API that answered, "" when none was found
	APIName  string
	Stage    string // "" when the call did not get as far as the stage
	Status   int
	Code     string // X-Ca-Error-Code, or the X-Gatehouse-Refused rule; "" for a backend's answer without them
	Refused  bool   // Code is X-Gatehouse-Refused's: the network refused the call before API Gateway
	Debug    bool   // made by the console's Debug panel
}

// record makes the Call of c, answered through sw.
func (c *call) record(start time.Time, took time.Duration, sw *statusWriter) Call {
	rec := Call{ID: c.id, Start: start, Duration: took, Network: c.network, Protocol: c.proto, Status: sw.status, Debug: c.debug}
	if rec.Status == 0 {
		rec.Status = http.StatusOK
	}
	h := sw.Header()
	if v := h[headerErrorCode]; len(v) > 0 {
		rec.Code = v[0]
	} else if v := h[HeaderRefused]; len(v) > 0 {
		rec.Code, rec.Refused = v[0], true
	}
	if t := c.name.target; t.Name != "" {
		rec.Host, rec.Domain = t.Name, t.Kind
	}
	if g := c.name.group; g != nil {
		rec.GroupID, rec.Account = g.group.ID, g.group.AccountID
	}
	if c.api != nil {
		rec.APIID, rec.APIName = c.api.id, c.api.deployment.Definition.Name
	}
	if c.stage >= 0 {
		rec.Stage = string(stageNames[c.stage])
	}
	return rec
}

// statusWriter remembers the status of an answer for the Recorder.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer
// (the reverse proxy flushes through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
