package handlers

import (
	"encoding/binary"
	"errors"

	"github.com/gorilla/securecookie"
)

// sessionSerializer writes the session cookie's values before securecookie
// encrypts and signs them. gob, securecookie's default, builds a decoder
// for the value's types on every request: about a tenth of a console
// page's cost. The values the console keeps (strings, int64 and string
// lists under string keys) get a small format of their own instead:
//
//	0x00, uvarint count, then per value: key, tag ('s' string, 'i' int64,
//	'l' []string), value; strings as uvarint length and bytes.
//
// A gob stream never starts with 0x00 (its first byte is a non-zero
// length), so values of any other type still go through gob, and cookies
// written by gob before this format keep working.
type sessionSerializer struct{}

const sessionFormat = 0x00

var errSessionFormat = errors.New("session cookie: malformed value")

func (sessionSerializer) Serialize(src any) ([]byte, error) {
	values, ok := src.(map[any]any)
	if !ok {
		return securecookie.GobEncoder{}.Serialize(src)
	}
	b := make([]byte, 0, 128)
	b = append(b, sessionFormat)
	b = binary.AppendUvarint(b, uint64(len(values)))
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return securecookie.GobEncoder{}.Serialize(src)
		}
		b = appendString(b, key)
		switch v := v.(type) {
		case string:
			b = appendString(append(b, 's'), v)
		case int64:
			b = binary.AppendVarint(append(b, 'i'), v)
		case []string:
			b = binary.AppendUvarint(append(b, 'l'), uint64(len(v)))
			for _, s := range v {
				b = appendString(b, s)
			}
		default:
			return securecookie.GobEncoder{}.Serialize(src)
		}
	}
	return b, nil
}

func (sessionSerializer) Deserialize(src []byte, dst any) error {
	values, ok := dst.(*map[any]any)
	if !ok || len(src) == 0 || src[0] != sessionFormat {
		return securecookie.GobEncoder{}.Deserialize(src, dst)
	}
	r := sessionReader{b: src[1:]}
	n := r.uvarint()
	if n > uint64(len(r.b)) { // every entry takes at least a byte
		return errSessionFormat
	}
	if *values == nil {
		*values = make(map[any]any, n)
	}
	for range n {
		key := r.string()
		switch r.byte() {
		case 's':
			(*values)[key] = r.string()
		case 'i':
			(*values)[key] = r.varint()
		case 'l':
			m := r.uvarint()
			if m > uint64(len(r.b)) {
				return errSessionFormat
			}
			list := make([]string, m)
			for i := range list {
				list[i] = r.string()
			}
			(*values)[key] = list
		default:
			return errSessionFormat
		}
		if r.err {
			return errSessionFormat
		}
	}
	if r.err || len(r.b) != 0 {
		return errSessionFormat
	}
	return nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// sessionReader reads the format; err records any short or bad read.
type sessionReader struct {
	b   []byte
	err bool
}

func (r *sessionReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.err = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = true, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
