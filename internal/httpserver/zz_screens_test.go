package httpserver_test

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestZZScreens(t *testing.T) {
	if os.Getenv("HAVEN_SCREENS") == "" {
		t.Skip()
	}
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "staff@demo.test")
	hidden := openForm(t, c)
	base := `<base href="` + fx.app.URL + `/">`
	save := func(name, body string) {
		os.WriteFile("/tmp/screens/"+name+".html", []byte(strings.Replace(body, "<head>", "<head>"+base, 1)), 0o644)
	}
	save("form", c.get("/concerns/new").Body)
	form := cseConcern(hidden, fx.pupil(t, 9))
	form.Del("category")
	form.Set("what-happened", "")
	form.Set("childs-words", `He said "stop" <script>`)
	save("errors", c.post("/concerns", form).Body)
	f2 := cseConcern(hidden, fx.pupil(t, 9))
	f2.Set("action", "find")
	f2.Set("pupil-query", "ok")
	save("find", c.post("/concerns", f2).Body)
	f3 := cseConcern(hidden, fx.pupil(t, 9))
	f3.Set("urgent", "yes")
	res := c.post("/concerns", f3)
	save("logged", c.get(res.Header.Get("Location")).Body)
	save("restored", c.get("/concerns/new").Body)
	time.Sleep(60 * time.Second)
}
