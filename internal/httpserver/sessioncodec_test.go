package httpserver

import (
	"bytes"
	"maps"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestSessionCodecRoundTrip(t *testing.T) {
	deadline := time.Date(2026, 11, 27, 12, 30, 0, 123456789, time.UTC)
	values := map[string]any{"person_id": int64(42), "notice": "You have been signed out.", "empty": "", "zero": int64(0)}
	b, err := sessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := sessionCodec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) {
		t.Errorf("deadline = %v, want %v", gotDeadline, deadline)
	}
	if !maps.Equal(got, values) {
		t.Errorf("values = %#v, want %#v", got, values)
	}
	if _, ok := got["person_id"].(int64); !ok {
		t.Errorf("person_id came back as %T, want int64", got["person_id"])
	}
}

// The same session must encode to the same bytes, or the store could never
// see that it is unchanged and skip writing it.
func TestSessionCodecIsDeterministic(t *testing.T) {
	deadline := time.Now()
	values := map[string]any{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		values[k] = "value " + k
	}
	first, err := sessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		again, err := sessionCodec{}.Encode(deadline, maps.Clone(values))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatalf("encodings differ:\n%s\n%s", first, again)
		}
	}
}

func TestSessionCodecRefusesOtherTypes(t *testing.T) {
	if _, err := (sessionCodec{}).Encode(time.Now(), map[string]any{"n": 3}); err == nil {
		t.Error("an int (not int64) was encoded; it would come back as another type")
	}
	if _, _, err := (sessionCodec{}).Decode([]byte(`{"deadline":"2026-11-27T00:00:00Z","values":{"x":{}}}`)); err == nil {
		t.Error("a value with no type was decoded")
	}
	if _, _, err := (sessionCodec{}).Decode([]byte(`{"deadline":`)); err == nil {
		t.Error("truncated JSON was decoded")
	}
}

// Sessions written by scs's gob codec before the change still sign their
// person in.
func TestSessionCodecReadsGobSessions(t *testing.T) {
	deadline := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{sessionPersonID: int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := sessionCodec{}.Decode(old)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || got[sessionPersonID] != int64(7) {
		t.Errorf("Decode(gob) = %v, %v; want %v, person 7", gotDeadline, got, deadline)
	}
}
