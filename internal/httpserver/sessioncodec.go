package httpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec stores a session as JSON: its deadline and its values, each
// an int64 (the person signed in, and when) or a string (notices, banners, a pending
// form). scs's default, gob, learns the types afresh for every session it
// decodes, a cost every request pays, and writes a map in no fixed order, so an unchanged
// session could not be recognised as unchanged (sessionStore). JSON sorts
// the keys: the same session always encodes to the same bytes.
//
// Sessions written by gob before are still read, so nobody is signed out
// by the change.
type sessionCodec struct{}

// sessionValue is one value, tagged with its type so that it comes back as
// the type it went in as.
type sessionValue struct {
	Int *int64  `json:"i,omitempty"`
	Str *string `json:"s,omitempty"`
}

type sessionData struct {
	Deadline time.Time               `json:"deadline"`
	Values   map[string]sessionValue `json:"values"`
}

var _ scs.Codec = sessionCodec{}

func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	d := sessionData{Deadline: deadline.UTC(), Values: make(map[string]sessionValue, len(values))}
	for k, v := range values {
		switch v := v.(type) {
		case int64:
			d.Values[k] = sessionValue{Int: &v}
		case string:
			d.Values[k] = sessionValue{Str: &v}
		default:
			return nil, fmt.Errorf("session value %q: type %T cannot be stored (only int64 and string)", k, v)
		}
	}
	return json.Marshal(d)
}

func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if !bytes.HasPrefix(b, []byte("{")) {
		return scs.GobCodec{}.Decode(b) // written before sessionCodec
	}
	var d sessionData
	if err := json.Unmarshal(b, &d); err != nil {
		return time.Time{}, nil, fmt.Errorf("decode session: %w", err)
	}
	values := make(map[string]any, len(d.Values))
	for k, v := range d.Values {
		switch {
		case v.Int != nil:
			values[k] = *v.Int
		case v.Str != nil:
			values[k] = *v.Str
		default:
			return time.Time{}, nil, fmt.Errorf("decode session: value %q has no type", k)
		}
	}
	return d.Deadline, values, nil
}
