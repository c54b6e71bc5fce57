package httpserver

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPanicGivesThePlain500Page(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	h := s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("secret internal detail")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/concerns/1", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if !strings.Contains(string(body), "Sorry, there is a problem with the service") {
		t.Error("not Haven's 500 page")
	}
	for _, leak := range []string{"secret internal detail", "goroutine", ".go:"} {
		if strings.Contains(string(body), leak) {
			t.Errorf("the browser was shown %q", leak)
		}
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), "goroutine") {
		t.Error("the panic and its stack were not logged")
	}
}

func TestRequestLogLine(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	h := s.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader("password=hunter2hunter2")))
	line := logs.String()
	for _, want := range []string{"method=POST", "status=418", "duration_ms="} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "hunter2") {
		t.Error("the request body was logged")
	}
}
