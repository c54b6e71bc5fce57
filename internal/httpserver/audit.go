package httpserver

import (
	"net/http"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// auditEvent is an audit-log line for an action by v in request r.
func auditEvent(r *http.Request, v safeguarding.Viewer, action, object string) postgres.AuditEvent {
	return postgres.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: action, Object: object, Address: clientAddress(r)}
}
