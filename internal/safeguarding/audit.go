package safeguarding

// AuditEvent is one line of the append-only audit log.
type AuditEvent struct {
	SchoolID int64 // 0 when unknown (a failed sign-in with an unknown e-mail)
	ActorID  int64 // 0 when unknown
	Action   string
	Object   string
	Address  string
	Detail   string
}
