package web

// OutboxPath is the administrator's page of the e-mails kept instead of
// sent, which exists only while SMTP_URL is unset.
const OutboxPath = "/settings/outbox"

// OutboxMessage is one e-mail on the Outbox page, ready to show.
type OutboxMessage struct {
	To, Subject string
	When        string   // when it would have been sent, in England's time
	Paragraphs  []string // its body, one paragraph per non-blank line
}
