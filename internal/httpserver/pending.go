package httpserver

// Handlers being built (issue 3); each file named in server.go replaces its
// line here. Until then the route answers 404 like any unknown page.

import "net/http"

func notYet(w http.ResponseWriter, r *http.Request) { renderError(w, r, http.StatusNotFound) }
