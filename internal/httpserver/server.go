// Package httpserver is Haven's web front: chi routes, middleware, sessions,
// form decoding and the mapping of domain errors to pages.
package httpserver

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// pinger says whether the database answers, for the readiness check and
// the load benchmark's floor route.
type pinger interface {
	Ping(ctx context.Context) error
}

// Config is the part of Haven's configuration the web front needs.
type Config struct {
	// SecureCookies marks the session cookie Secure and names it with the
	// __Host- prefix. Off only for plain HTTP on a loopback address.
	SecureCookies bool
	// TLS is true when the server itself terminates TLS; it adds HSTS.
	TLS bool
	// EmailAlerts is true when alerts go out by e-mail (SMTP is set up);
	// only then does a confirmation page say that anyone was e-mailed.
	EmailAlerts bool
	// BenchFloor serves GET /bench/floor, the load benchmark's floor route
	// (benchFloor). Only `make bench` sets it.
	BenchFloor bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// is believed (clientIP); none, and the header is ignored.
	TrustedProxies []netip.Prefix
	// CheckPassword says why a new password is not acceptable, or "" if it
	// is; nil is password.Check, the shipped list alone (cmd/haven adds
	// Pwned Passwords when HAVEN_PWNED_PASSWORDS is set).
	CheckPassword func(ctx context.Context, plain string) string
}

// Server holds what every handler needs.
type Server struct {
	cfg      Config
	db       Store
	log      *slog.Logger
	sessions *scs.SessionManager
	// sessionStore is sessions' store, for what scs cannot ask of it.
	sessionStore *sessionStore
	router       chi.Router
}

// SessionCookieName returns the session cookie's name for the given setting.
func SessionCookieName(secure bool) string {
	if secure {
		return "__Host-haven_session"
	}
	return "haven_session"
}

// New wires the routes to the store and keeps sessions in sessions. The
// returned Server is an http.Handler.
func New(cfg Config, db Store, sessions SessionStore, logger *slog.Logger) *Server {
	sm := scs.New()
	store := newSessionStore(sessions)
	sm.Store = store
	sm.Codec = sessionCodec{}
	sm.IdleTimeout = 30 * time.Minute
	sm.Lifetime = 12 * time.Hour
	sm.Cookie.Name = SessionCookieName(cfg.SecureCookies)
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	s := &Server{cfg: cfg, db: db, log: logger, sessions: sm, sessionStore: store}
	// When the session store (PostgreSQL) cannot be reached, the request
	// ends as any other database fault, its form kept.
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.serverError(w, r, err)
		// scs saves the session as the handler starts its response; when
		// that fails, the error page is the response and the handler's is
		// dropped, not appended to it.
		if sw, ok := w.(*sealableWriter); ok {
			sw.sealed = true
		}
	}
	s.router = s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.logRequests, s.recoverPanics, s.clientAddresses, s.securityHeaders, crossOriginProtection)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", web.StaticHandler())

	r.Group(func(r chi.Router) {
		r.Use(noStore, readForm, sealable, s.sessions.LoadAndSave, s.loadViewer)
		r.Get("/", s.root)
		r.Get("/sign-in", s.signInForm)
		r.Post("/sign-in", s.signIn)
		r.Post("/sign-out", s.signOut)
		r.Get("/unlock/{token}", s.unlockForm)
		r.Post("/unlock/{token}", s.unlock)
		r.Get("/invitation/{token}", s.invitationForm)
		r.Post("/invitation/{token}", s.acceptInvitation)

		// A forgotten password (password_reset.go).
		r.Get(web.ForgottenPasswordPath, s.forgottenPasswordForm)
		r.Post(web.ForgottenPasswordPath, s.requestPasswordReset)
		r.Get(web.ResetLinkSentPath, s.resetLinkSent)
		r.Get("/password/reset/{token}", s.resetPasswordForm)
		r.Post("/password/reset/{token}", s.resetPassword)

		// The second step of a sign-in (signin_code.go).
		r.Get(web.SignInCodePath, s.signInCodeForm)
		r.Post(web.SignInCodePath, s.signInWithCode)
		r.Get(web.SignInRecoveryPath, s.signInRecoveryForm)
		r.Post(web.SignInRecoveryPath, s.signInWithRecoveryCode)

		r.Group(func(r chi.Router) {
			r.Use(s.requireSignIn)
			// Enrolling a second factor (twofactor.go): the only pages of a
			// person who must have one and has not.
			r.Get(web.TwoFactorPath, s.twoFactorPage)
			r.Post(web.TwoFactorPath, s.confirmTwoFactor)
			r.Get(web.TwoFactorQRPath, s.twoFactorQR)
		})

		r.Group(func(r chi.Router) {
			r.Use(s.requireSignIn, s.requireSecondFactor, s.withOverdueCount)
			r.Get("/home", s.home)

			// Deadlines (due.go) and the closure days they skip (closures.go).
			r.Get(web.DuePath, s.due)
			r.Get(web.ClosuresPath, s.closuresPage)
			r.Post(web.ClosuresPath, s.addClosure)
			r.Post(web.ClosuresPath+"/{id}/remove", s.removeClosure)

			// The person's own account (account.go, password_change.go).
			r.Get(web.AccountPath, s.account)
			r.Get(web.ChangePasswordPath, s.changePasswordForm)
			r.Post(web.ChangePasswordPath, s.changePassword)
			if s.cfg.BenchFloor {
				r.Get("/bench/floor", s.benchFloor)
			}

			// Logging a concern (concern_new.go, concern_draft.go).
			r.Get("/concerns/new", s.newConcernForm)
			r.Post("/concerns", s.logConcern)
			r.Post("/concerns/draft", s.saveDraft)

			// Triage and the chronology (queue.go, concern_page.go, concern_entry.go).
			r.Get("/queue", s.queue)
			// The routes that ask for one concern or one child's file: a
			// "not found" is recorded as a denied look (denied.go).
			r.Group(func(r chi.Router) {
				r.Use(looksAt(safeguarding.LookedForConcern))
				r.Get("/concerns/{id}/logged", s.concernLogged)
				r.Get("/concerns/{id}", s.concernPage)
				r.Post("/concerns/{id}/entries", s.addEntry)
				r.Post("/concerns/{id}/entries/draft", s.saveEntryDraft)
				r.Get("/concerns/{id}/move", s.moveConcernForm)
				r.Post("/concerns/{id}/move", s.moveConcern)
				r.Get("/concerns/{id}/parts", s.recordPartsForm)
				r.Post("/concerns/{id}/parts", s.recordParts)
				r.Post("/concerns/{id}/attachments", s.addAttachment)
				r.Get("/concerns/{id}/attachments/{file}", s.downloadAttachment)
			})
			r.With(looksAt(safeguarding.LookedForChildFile)).Get("/pupils/{id}", s.childPage)
			r.With(looksAt(safeguarding.LookedForChildFile)).Get("/pupils/{id}/file.pdf", s.childFilePDF)

			// Transfer of a child's file between schools (transfer.go).
			r.Get(web.TransfersPath, s.transfersPage)
			r.Get(web.TransferKeysPath, s.transferKeysPage)
			r.Get(web.TransferImportPath, s.importTransferForm)
			r.Post(web.TransferImportPath, s.importTransfer)
			r.Get("/transfers/received/{id}", s.receivedFilePage)
			r.Post("/transfers/received/{id}/confirm", s.confirmReceipt)
			r.Get("/pupils/{id}/transfer", s.pupilTransferPage)
			r.Post("/pupils/{id}/left", s.markLeft)
			r.Post("/pupils/{id}/transfer/bundle", s.exportBundle)
			r.Post("/pupils/{id}/transfer/not-needed", s.recordNotNeeded)
			r.Post("/pupils/{id}/transfer/receipt", s.recordReceipt)
			r.Get("/pupils/{id}/transfer/bundles/{bundle}", s.downloadBundle)

			// The DSL's pupil search and the audit page (audit_page.go).
			r.Get(web.PupilSearchPath, s.pupilSearch)
			r.Get(web.AuditPath, s.auditPage)

			// The referrer's own concerns (my_concerns.go).
			r.Get("/my-concerns", s.myConcerns)

			// The governors' annual oversight report (annual_report.go).
			r.Get(web.AnnualReportPath, s.annualReport)
			r.Get(web.AnnualReportPDFPath, s.annualReportPDF)
			r.Get(web.AnnualReportCSVPath, s.annualReportCSV)

			// Retention review and destruction (retention.go).
			r.Get(web.RetentionPath, s.retentionPage)
			r.Post(web.RetentionPath+"/{id}/destroy", s.agreeToDestroy)
			// Pattern flags and the rules that raise them (pattern.go).
			r.Get("/patterns/{id}", s.patternFlagPage)
			r.Post("/patterns/{id}", s.reviewPatternFlag)
			r.Get(web.PatternSettingsPath, s.patternSettingsForm)
			r.Post(web.PatternSettingsPath, s.setPatternSettings)

			// The school's emergency contacts (school_contacts.go).
			r.Get(web.SettingsContactsPath, s.schoolContactsForm)
			r.Post(web.SettingsContactsPath, s.setSchoolContacts)

			// Escalation of unacknowledged concerns (escalation_settings.go).
			r.Get(web.SettingsEscalationPath, s.escalationSettingsForm)
			r.Post(web.SettingsEscalationPath, s.setEscalationSettings)

			// The person's in-app notices (notices.go).
			r.Get(web.NoticesPath, s.notices)
			r.Post(web.NoticesReadPath, s.markNoticesRead)

			// The e-mails kept while SMTP is unset (outbox.go).
			r.Get(web.OutboxPath, s.outbox)

			// The administrator's people (people.go, person.go).
			r.Get(web.PeoplePath, s.people)
			r.Get(web.InvitePath, s.inviteForm)
			r.Post(web.InvitePath, s.invite)
			r.Get("/people/{id}", s.personPage)
			r.Post("/people/{id}/roles", s.changeRoles)
			r.Post("/people/{id}/deactivate", s.changePerson("deactivated", "deactivate", s.db.Deactivate))
			r.Post("/people/{id}/reactivate", s.changePerson("reactivated", "reactivate", s.db.Reactivate))
			r.Post("/people/{id}/invitation/resend", s.changePerson("resent", "resend", s.db.ResendInvitation))
			r.Post("/people/{id}/invitation/revoke", s.changePerson("revoked", "revoke", s.db.RevokeInvitation))

			// The roster import (roster_import.go).
			r.Get(web.SettingsImportPath, s.importForm)
			r.Post(web.SettingsImportPreviewPath, s.previewImport)
			r.Post(web.SettingsImportPath, s.applyImport)

			// The training register (training.go).
			r.Get(web.TrainingPath, s.trainingRegister)
			r.Get("/training/people/{id}", s.trainingPersonPage)
			r.Post("/training/people/{id}/records", s.addTraining)
			r.Post("/training/people/{id}/started", s.setStartedOn)
			r.Get("/training/people/{id}/records/{record}", s.trainingRecordPage)
			r.Post("/training/people/{id}/records/{record}", s.changeTraining)
			r.Post("/training/people/{id}/records/{record}/delete", s.deleteTraining)
			r.Get(web.TrainingImportPath, s.trainingImportForm)
			r.Post(web.TrainingImportPreviewPath, s.previewTrainingImport)
			r.Post(web.TrainingImportPath, s.applyTrainingImport)

			// An administrator's reset of a person's second factor
			// (second_factor_reset.go).
			r.Post("/people/{id}/second-factor/reset", s.resetSecondFactor)

			// The policy register (§13.1).
			r.Get(web.PoliciesPath, s.policies)
			r.Post(web.PoliciesPath, s.addPolicy)
			r.Get(web.NewPolicyPath, s.newPolicyForm)
			r.Get("/policies/{id}", s.policyPage)
			r.Post("/policies/{id}/reviews", s.recordPolicyReview)
			r.Post("/policies/{id}/retire", s.retirePolicy)
		})
		r.NotFound(func(w http.ResponseWriter, r *http.Request) { renderError(w, r, http.StatusNotFound) })
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { renderError(w, r, http.StatusNotFound) })
	})
	return r
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Warn("database not reachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
