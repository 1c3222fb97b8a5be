package slackemu_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func fileModal(maxFiles int, types ...string) slack.ModalViewRequest {
	v := createUserModal(true)
	el := slack.NewFileInputBlockElement("file").WithFileTypes(types...).WithMaxFiles(maxFiles)
	in := slack.NewInputBlock("file_block", plain("CSV"), nil, el)
	in.Optional = true
	v.Blocks.BlockSet = append(v.Blocks.BlockSet, in)
	return v
}

// A file_input submits the files the user uploaded, with a url_private only the
// bot token downloads; a file of another type, another user's file, an unknown
// id or too many files cannot be submitted.
func TestFileInputSubmitsTheUploadedFileForTheBotToDownload(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	resp, err := b.OpenView(slash(t, srv, "import").TriggerID, fileModal(1, "csv"))
	if err != nil {
		t.Fatal(err)
	}
	mine := srv.PutFileBy("U1", "users.csv", []byte("username,email\nalice,a@example.com\n"))
	theirs := srv.PutFileBy("U2", "theirs.csv", []byte("x"))
	text := srv.PutFileBy("U1", "notes.txt", []byte("x"))
	base := map[string]string{"username": "alice"}
	for name, ids := range map[string]string{"another user's file": theirs.ID, "unknown id": "F404", "wrong type": text.ID,
		"two files for max_files 1": mine.ID + "," + mine.ID} {
		if _, err := srv.SubmitView(testCtx(t), resp.ID, "U1", map[string]map[string]string{"username_block": base, "file_block": {"file": ids}}); err == nil {
			t.Errorf("%s: submitted", name)
		}
	}
	if len(srv.Files()) != 0 {
		t.Error("files users uploaded are listed as shared by the bot")
	}
	if _, err := srv.SubmitView(testCtx(t), resp.ID, "U1", map[string]map[string]string{"username_block": base, "file_block": {"file": mine.ID}}); err != nil {
		t.Fatal(err)
	}
	cb := b.next(t, "interactive").Data.(slack.InteractionCallback)
	files := cb.View.State.Values["file_block"]["file"].Files
	if len(files) != 1 || files[0].ID != mine.ID || files[0].Name != "users.csv" || files[0].URLPrivateDownload == "" {
		t.Fatalf("submitted files %+v; want users.csv with its download URL", files)
	}
	var buf bytes.Buffer
	if err := srv.SlackClient().GetFileContext(testCtx(t), files[0].URLPrivateDownload, &buf); err != nil || !strings.Contains(buf.String(), "alice") {
		t.Fatalf("bot download = %q, %v", buf.String(), err)
	}
	wrong := slack.New("xoxb-wrong", slack.OptionAPIURL(srv.APIURL()))
	if err := wrong.GetFileContext(testCtx(t), files[0].URLPrivateDownload, &buf); err == nil {
		t.Fatal("another token downloaded the file")
	}
}

func TestViewsOpenRefusesBadFileInputs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	if _, err := b.OpenView(slash(t, srv, "import").TriggerID, fileModal(11, "csv")); slackErr(err) != "invalid_arguments" {
		t.Errorf("max_files 11: views.open = %v, want invalid_arguments", err)
	}
	v := createUserModal(true)
	v.Blocks.BlockSet = append(v.Blocks.BlockSet, slack.NewActionBlock("acts", slack.NewFileInputBlockElement("file")))
	if _, err := b.OpenView(slash(t, srv, "import").TriggerID, v); slackErr(err) != "invalid_arguments" {
		t.Errorf("file_input in an actions block: views.open = %v, want invalid_arguments", err)
	}
}
