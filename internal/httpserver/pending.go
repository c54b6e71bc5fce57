package httpserver

// Handlers being built (issue 3); each file named in server.go replaces its
// line here. Until then the route answers 404 like any unknown page.

import "net/http"

func notYet(w http.ResponseWriter, r *http.Request) { renderError(w, r, http.StatusNotFound) }

func (s *Server) newConcernForm(w http.ResponseWriter, r *http.Request) { notYet(w, r) }
func (s *Server) logConcern(w http.ResponseWriter, r *http.Request)     { notYet(w, r) }
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request)      { notYet(w, r) }
func (s *Server) concernLogged(w http.ResponseWriter, r *http.Request)  { notYet(w, r) }
func (s *Server) queue(w http.ResponseWriter, r *http.Request)          { notYet(w, r) }
func (s *Server) concernPage(w http.ResponseWriter, r *http.Request)    { notYet(w, r) }
func (s *Server) addEntry(w http.ResponseWriter, r *http.Request)       { notYet(w, r) }
func (s *Server) childPage(w http.ResponseWriter, r *http.Request)      { notYet(w, r) }
func (s *Server) myConcerns(w http.ResponseWriter, r *http.Request)     { notYet(w, r) }
