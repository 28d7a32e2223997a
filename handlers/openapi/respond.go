package openapi

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// format is the response format a request asks for with Format.
type format int

const (
	formatJSON format = iota
	formatXML
)

// response is what every action answers: a struct of the fields the SDK's
// response struct expects, embedding requestID.
type response interface{ setRequestID(id string) }

// requestID is embedded in every response: Alibaba Cloud's RequestId.
type requestID struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
}

func (r *requestID) setRequestID(id string) { r.RequestId = id }

// errorBody is an error's body. XML puts it under <Error>.
type errorBody struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	HostId    string `json:"HostId" xml:"HostId"`
	Code      string `json:"Code" xml:"Code"`
	Message   string `json:"Message" xml:"Message"`
	Recommend string `json:"Recommend" xml:"Recommend"`
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// write encodes v as JSON, or as XML under root, and sends it with status.
func write(w http.ResponseWriter, f format, status int, root string, v any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // do not keep rare huge buffers
			bufPool.Put(buf)
		}
	}()
	h := w.Header()
	if f == formatXML {
		buf.WriteString(xml.Header)
		if err := xml.NewEncoder(buf).EncodeElement(v, xml.StartElement{Name: xml.Name{Local: root}}); err != nil {
			return err
		}
		h.Set("Content-Type", "text/xml;charset=utf-8")
	} else {
		if err := json.NewEncoder(buf).Encode(v); err != nil {
			return err
		}
		h.Set("Content-Type", "application/json;charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// requestIDs makes RequestIds shaped like Alibaba Cloud's (a UUID in upper
// case): a random prefix drawn at start and a counter, so making one costs
// no system call.
type requestIDs struct {
	prefix [8]byte
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	ids := &requestIDs{}
	rand.Read(ids.prefix[:]) // never fails (crypto/rand panics instead)
	ids.n.Store(uint64(time.Now().UnixNano()))
	return ids
}

func (ids *requestIDs) next() string {
	var raw [16]byte
	copy(raw[:8], ids.prefix[:])
	binary.BigEndian.PutUint64(raw[8:], ids.n.Add(1))
	var out [36]byte
	j := 0
	for i, b := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = upperHex[b>>4], upperHex[b&15]
		j += 2
	}
	return string(out[:])
}

// timeString writes a time as Alibaba Cloud does: UTC, to the second.
func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timestampLayout)
}

// ownerID is an account id as the SDK's int64 OwnerId fields hold it.
func ownerID(accountID string) int64 {
	n, err := strconv.ParseInt(accountID, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// unixMilli writes a time as the SDK's int64 millisecond fields hold it; 0
// for none.
func unixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
