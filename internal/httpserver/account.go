package httpserver

import (
	"net/http"

	"github.com/havenapp/haven/web"
)

// accountNoticeKey is the session key of the banner the account page shows
// once, after the password is changed.
const accountNoticeKey = "account_notice"

// account shows the signed-in person their own account: who Haven knows
// them as, and where to change how they sign in.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	a := web.Account{Name: v.Name, Email: v.Email, School: v.SchoolName, Notice: s.sessions.PopString(r.Context(), accountNoticeKey)}
	for _, role := range v.Roles {
		a.Roles = append(a.Roles, role.Label())
	}
	s.render(w, r, http.StatusOK, web.AccountPage(page(r, "Your account"), a))
}
