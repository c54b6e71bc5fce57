package safeguarding

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// AuditEvent is one line of the append-only audit log.
type AuditEvent struct {
	SchoolID int64 // 0 when unknown (a failed sign-in with an unknown e-mail)
	ActorID  int64 // 0 when unknown
	Action   string
	Object   string
	Address  string
	Detail   string
}

// AuditRecord is an audit row as stored, with its place in its school's
// hash chain (migration 00038; docs/audit-log.md).
type AuditRecord struct {
	AuditEvent
	ID       int64
	At       time.Time
	Seq      int64 // the row's place in its school's chain, from 1
	PrevHash []byte
	Hash     []byte
}

// AuditHash is the hash that links an audit row to the one before it in
// its school's chain: SHA-256 over length-prefixed fields, framed as
// ChainHash frames a chronology entry. PostgreSQL computes the same
// (haven_audit_hash) as each row's transaction commits; `haven verify`
// computes it again here, so the two must agree byte for byte.
func AuditHash(prev []byte, r AuditRecord) []byte {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	num := func(i int64) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(i))
		field(n[:])
	}
	field(prev)
	num(r.SchoolID)
	num(r.ID)
	num(r.At.UTC().UnixMicro())
	num(r.ActorID)
	field([]byte(r.Action))
	field([]byte(r.Object))
	field([]byte(r.Address))
	field([]byte(r.Detail))
	return h.Sum(nil)
}
