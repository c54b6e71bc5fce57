package httpserver

import (
	"net/http"

	"github.com/havenapp/haven/internal/safeguarding"
)

// auditEvent is an audit-log line for an action by v in request r.
func auditEvent(r *http.Request, v safeguarding.Viewer, action, object string) safeguarding.AuditEvent {
	return safeguarding.AuditEvent{SchoolID: v.SchoolID, ActorID: v.PersonID, Action: action, Object: object, Address: clientAddress(r)}
}
