package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// StaticHandler serves the embedded assets under the URL prefix /static/.
// Mount it at that prefix, e.g. mux.Handle("/static/", web.StaticHandler()).
//
// Directories answer 404 rather than a listing: there is nothing to browse,
// and a listing would only advertise what the server holds.
func StaticHandler() http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		// Only possible if the embed directive above changes.
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(r.URL.Path, "/")
		if name == "" {
			name = "."
		}
		if info, err := fs.Stat(sub, name); err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		// The files change only with a new release of Haven, and a day-old
		// stylesheet is harmless, so browsers may keep them for a day.
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	}))
}
