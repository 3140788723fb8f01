package mqttgw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/iotrust/iotrust/mqttgw"
)

// POST /v1/verify answers the JSON report to an API client however it
// labels the bundle (curl --data-binary sends
// application/x-www-form-urlencoded, curl -F multipart/form-data), and the
// HTML report to a browser (Accept: text/html) submitting the page's form,
// multipart or urlencoded.
func TestVerifyOverHTTPByAccept(t *testing.T) {
	s := newStack(t, stackOpts{window: 200 * time.Millisecond})
	ctx := context.Background()
	d, _, _ := s.newDevice(t, "coldchain/#")
	r, code, err := d.Publish(ctx, temp("coldchain/t/temp", 420))
	if err != nil || code != mqttgw.CodeSuccess {
		t.Fatalf("%v %v", code, err)
	}
	if err := s.gw.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	raw := getBundle(t, s, r)

	multipartForm := func(field string, file bool) (string, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		var w io.Writer
		if file {
			w, _ = mw.CreateFormFile(field, "r.evidence.json")
		} else {
			w, _ = mw.CreateFormField(field)
		}
		w.Write(raw)
		mw.Close()
		return mw.FormDataContentType(), buf.Bytes()
	}
	fileCT, fileBody := multipartForm("file", true)
	textCT, textBody := multipartForm("bundle", false)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	cases := []struct {
		name, contentType, accept string
		body                      []byte
		html                      bool
	}{
		{"curl --data-binary", "application/x-www-form-urlencoded", "*/*", raw, false},
		{"curl --data-binary, leading newline", "application/x-www-form-urlencoded", "*/*", append([]byte("\n"), raw...), false},
		{"json", "application/json", "", raw, false},
		{"no content type", "", "", raw, false},
		{"curl -F file", fileCT, "*/*", fileBody, false},
		{"html refused by q=0", "application/x-www-form-urlencoded", "text/html;q=0, application/json", raw, false},
		{"page form, file", fileCT, browser, fileBody, true},
		{"page form, pasted", textCT, browser, textBody, true},
		{"urlencoded form", "application/x-www-form-urlencoded", browser, []byte("bundle=" + url.QueryEscape(string(raw))), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.api.URL+"/v1/verify", bytes.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d %s", resp.StatusCode, body)
			}
			if c.html {
				if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "The bundle verifies") {
					t.Fatalf("want the HTML report that passes; %s: %.300s", resp.Header.Get("Content-Type"), body)
				}
				return
			}
			var rep struct {
				OK     bool `json:"ok"`
				Checks []struct {
					Name, Outcome string
				} `json:"checks"`
			}
			if err := json.Unmarshal(body, &rep); err != nil {
				t.Fatalf("want a JSON report; %s: %v: %.200s", resp.Header.Get("Content-Type"), err, body)
			}
			if !rep.OK || len(rep.Checks) < 2 {
				t.Fatalf("JSON report does not pass: %+v", rep)
			}
		})
	}
}
