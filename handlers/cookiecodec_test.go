package handlers

import (
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/gorilla/securecookie"
)

// The session values round-trip through the cookie format, and a cookie
// written with gob (before the format, or for other types) still reads.
func TestSessionSerializerRoundTrip(t *testing.T) {
	cases := []map[any]any{
		{},
		{keySessionID: "tok-en_123", keySeen: int64(1764038254)},
		{keySessionID: "t", keySeen: int64(-5), keyFlash: []string{"success", "The VPC second-level domain … is enabled."}},
		{keyFlash: []string{}},
	}
	for _, in := range cases {
		b, err := sessionSerializer{}.Serialize(in)
		if err != nil {
			t.Fatal(err)
		}
		if b[0] != sessionFormat {
			t.Fatalf("%v: not the session format", in)
		}
		out := map[any]any{}
		if err := (sessionSerializer{}).Deserialize(b, &out); err != nil {
			t.Fatalf("%v: %v", in, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Errorf("round trip: got %v, want %v", out, in)
		}
	}
	old := map[any]any{keySessionID: "abc", keySeen: int64(7), keyFlash: []string{"info", "x"}}
	g, err := securecookie.GobEncoder{}.Serialize(old)
	if err != nil {
		t.Fatal(err)
	}
	out := map[any]any{}
	if err := (sessionSerializer{}).Deserialize(g, &out); err != nil || !reflect.DeepEqual(out, old) {
		t.Errorf("gob cookie: got %v, %v", out, err)
	}
	// Other value types go through gob.
	type other struct{ N int }
	gob.Register(other{})
	mixed := map[any]any{"x": other{3}}
	b, err := sessionSerializer{}.Serialize(mixed)
	if err != nil || b[0] == sessionFormat {
		t.Fatalf("other types: %v, %x", err, b[:1])
	}
	out = map[any]any{}
	if err := (sessionSerializer{}).Deserialize(b, &out); err != nil || !reflect.DeepEqual(out, mixed) {
		t.Errorf("other types: got %v, %v", out, err)
	}
}

// Any bytes at all are refused or read, never a panic.
func FuzzSessionSerializer(f *testing.F) {
	good, _ := sessionSerializer{}.Serialize(map[any]any{keySessionID: "a", keySeen: int64(1), keyFlash: []string{"b", "c"}})
	f.Add(good)
	f.Add([]byte{0, 5, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != sessionFormat {
			return // gob's own
		}
		out := map[any]any{}
		if err := (sessionSerializer{}).Deserialize(b, &out); err != nil {
			return
		}
		again, err := sessionSerializer{}.Serialize(out)
		if err != nil {
			t.Fatal(err)
		}
		out2 := map[any]any{}
		if err := (sessionSerializer{}).Deserialize(again, &out2); err != nil || !reflect.DeepEqual(out, out2) {
			t.Fatalf("re-read %x: %v %v", again, out2, err)
		}
	})
}
