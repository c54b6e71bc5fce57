package safeguarding

import "testing"

// FuzzQueueCursor: the queue's opaque "after"/"before" cursor never panics,
// and the only strings it accepts are those Haven makes: a cursor that
// decodes encodes back to the same string, so an edited one is refused.
func FuzzQueueCursor(f *testing.F) {
	for _, p := range []QueuePosition{{Group: 0, Key: 0, ID: 1}, {Group: 3, Key: -1774569600000000, ID: 9223372036854775807},
		{Group: 2, Key: 9223372036854775807, ID: 42}, {Group: 1, Key: -9223372036854775808, ID: 7}} {
		f.Add(p.String())
	}
	for _, s := range []string{"", "MC4xLjE", "MC4xLjE=", "MC4xLjF", "MC4xLjE\n", "MC4rMS4x", "MDAuMS4x", "MC4tMC4x", "NC4xLjE",
		"MC4xLjA", "MC4xLjEuMQ", "%%%", "MC4x", "LTAuMS4x", "MC4xLjEw"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		p, ok := ParseQueuePosition(token)
		if !ok {
			if !p.IsZero() {
				t.Fatalf("a refused cursor %q gave position %#v", token, p)
			}
			return
		}
		if p.Group < 0 || p.Group > 3 || p.ID <= 0 {
			t.Fatalf("cursor %q gave position %#v", token, p)
		}
		if p.String() != token {
			t.Fatalf("cursor %q decodes to %#v, which encodes as %q: an edited cursor was accepted", token, p, p.String())
		}
		if back, ok := ParseQueuePosition(p.String()); !ok || back != p {
			t.Fatalf("%#v does not round-trip", p)
		}
	})
}

// FuzzQueuePosition: every position Haven can make round-trips through its
// cursor.
func FuzzQueuePosition(f *testing.F) {
	f.Add(int16(0), int64(0), int64(1))
	f.Add(int16(3), int64(-9223372036854775808), int64(9223372036854775807))
	f.Add(int16(-1), int64(5), int64(0))
	f.Fuzz(func(t *testing.T, group int16, key, id int64) {
		p := QueuePosition{Group: group, Key: key, ID: id}
		back, ok := ParseQueuePosition(p.String())
		valid := group >= 0 && group <= 3 && id > 0
		if ok != valid || (ok && back != p) {
			t.Fatalf("%#v encodes as %q, which decodes to %#v, %v", p, p.String(), back, ok)
		}
	})
}
