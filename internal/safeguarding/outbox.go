package safeguarding

import "time"

// OutboxMessage is one e-mail kept in the outbox instead of being sent.
type OutboxMessage struct {
	To, Subject, Body string
	SentAt            time.Time // when it would have been sent
}
