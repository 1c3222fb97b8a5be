package slackemu_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestTwoStepUploadSharesTheFileAndTheBotTokenDownloadsIt(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	api := srv.SlackClient()
	content := "username,outcome\nalice,done\n"
	f, err := api.UploadFileContext(testCtx(t), slack.UploadFileParameters{
		Filename: "results.csv", Title: "Results", FileSize: len(content), Reader: strings.NewReader(content), Channel: "D0001",
	})
	if err != nil {
		t.Fatalf("UploadFile: %v", err)
	}
	files := srv.Files()
	if len(files) != 1 || files[0].ID != f.ID || files[0].Channel != "D0001" || files[0].Title != "Results" || string(files[0].Content) != content {
		t.Fatalf("files %+v; want results.csv shared in D0001 with its content", files)
	}
	var buf bytes.Buffer
	if err := api.GetFileContext(testCtx(t), files[0].URLPrivate, &buf); err != nil || buf.String() != content {
		t.Fatalf("download = %q, %v", buf.String(), err)
	}
	req, _ := http.NewRequest(http.MethodGet, files[0].URLPrivate, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || strings.Contains(string(body), "alice") {
		t.Fatalf("download without a token: %d %q; want 403 and no content", resp.StatusCode, body)
	}
}

func TestWrongUploadCallsFail(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	api := srv.SlackClient()
	ctx := testCtx(t)
	u, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "a.csv", FileSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	// Completing before the bytes arrived.
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: u.FileID}}, Channel: "C1"}); err == nil || !strings.Contains(err.Error(), "file_upload_not_complete") {
		t.Fatalf("complete before upload: %v", err)
	}
	// Fewer bytes than declared.
	if err := api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Filename: "a.csv", Reader: strings.NewReader("abc")}); err == nil {
		t.Fatal("an upload of 3 bytes for 5 declared succeeded")
	}
	// Another token.
	other := slack.New("xoxb-wrong", slack.OptionAPIURL(srv.APIURL()))
	if err := other.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Filename: "a.csv", Reader: strings.NewReader("abcde")}); err == nil {
		t.Fatal("an upload with a wrong token succeeded")
	}
	if err := api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Filename: "a.csv", Reader: strings.NewReader("abcde")}); err != nil {
		t.Fatalf("the right upload: %v", err)
	}
	if err := api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Filename: "a.csv", Reader: strings.NewReader("abcde")}); err == nil {
		t.Fatal("a second upload to the same URL succeeded")
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: "F999"}}}); err == nil {
		t.Fatal("completing an unknown file succeeded")
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: u.FileID}}, Channel: "D1"}); err != nil {
		t.Fatalf("complete: %v", err)
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: u.FileID}}, Channel: "D1"}); err == nil {
		t.Fatal("completing twice succeeded")
	}
	if _, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "a.csv", FileSize: -1}); err == nil {
		t.Fatal("a negative length was accepted")
	}
}
