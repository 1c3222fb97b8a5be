package exports

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/slack-go/slack"
	"go.uber.org/zap"
)

// exporter is one export under way.
type exporter struct {
	b *Exports
	// to is who gets the progress and the CSV: the requester.
	to string
	er Request
	// jobID is the export's job, when it runs as one: its message has a
	// Cancel button.
	jobID   string
	out     *spool
	users   int
	pages   int
	started time.Time
	// progress locates the progress message, posted once a second page is needed.
	progressChannel, progressTS string
	lastReport                  time.Time
}

func (ex *exporter) call(ctx context.Context, category string, fn func() error) error {
	return ex.b.BulkLimits.Call(ctx, category, fn)
}

// run reads the columns, the group memberships when asked, then every page.
func (ex *exporter) run(ctx context.Context, d pipeline.Directory) error {
	columns := ex.er.Attributes
	if columns == nil {
		var schema cognito.PoolSchema
		if err := ex.call(ctx, "UserPoolRead", func() (err error) { schema, err = d.PoolSchema(ctx, ex.er.Pool.ID); return err }); err != nil {
			return err
		}
		for _, a := range schema.Attributes {
			if a.Name != "sub" {
				columns = append(columns, a.Name)
			}
		}
	}
	var groups map[string][]string
	if ex.er.WithGroups {
		var err error
		if groups, err = ex.memberships(ctx, d); err != nil {
			return err
		}
	}
	w := csv.NewWriter(ex.out.w)
	header := append(slices.Clone(exportColumns), columns...)
	if ex.er.WithGroups {
		header = append(header, "groups")
	}
	_ = w.Write(header)
	token := ""
	for {
		page, err := ex.page(ctx, d, token)
		if err != nil {
			return err
		}
		ex.pages++
		for _, u := range page.Users {
			if cb := ex.er.CreatedBefore; !cb.IsZero() && !u.Created.Before(cb) {
				continue
			}
			row := []string{u.Username, u.Sub, u.Status, strconv.FormatBool(u.Enabled), timeCell(u.Created), timeCell(u.Modified)}
			for _, c := range columns {
				row = append(row, u.Attributes[c])
			}
			if ex.er.WithGroups {
				row = append(row, strings.Join(groups[u.Username], ";"))
			}
			for i := range row {
				row[i] = bulk.SafeCell(row[i])
			}
			_ = w.Write(row)
			ex.users++
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("writing the export's spool file: %w", err)
		}
		if page.NextToken == "" {
			return ex.out.w.Flush()
		}
		token = page.NextToken
		ex.progress(ctx)
	}
}

// pageTries bounds the reads of one export page: a read is safe to repeat,
// and an export of a large pool should not die of one dropped connection
// after many minutes of pages.
const pageTries = 4

// page reads one page of the export's users, again after a failure that is
// not the context ending.
func (ex *exporter) page(ctx context.Context, d pipeline.Directory, token string) (cognito.Page, error) {
	var page cognito.Page
	var err error
	for try := 1; ; try++ {
		err = ex.call(ctx, "UserList", func() (err error) {
			page, err = d.ListUsers(ctx, ex.er.Pool.ID, jobs.ListFilterOf(ex.er.Filter), jobs.MaxPageSize, token)
			return err
		})
		if err == nil || try == pageTries || ctx.Err() != nil {
			return page, err
		}
		ex.b.Log.Warn("reading an export page; trying again", zap.Int("page", ex.pages+1), zap.Int("try", try), zap.Error(err))
		select {
		case <-ctx.Done():
			return page, err
		case <-time.After(time.Duration(try) * 250 * time.Millisecond):
		}
	}
}

// memberships maps usernames to their groups: one listing per group, far
// fewer calls than one per user.
func (ex *exporter) memberships(ctx context.Context, d pipeline.Directory) (map[string][]string, error) {
	var groups []cognito.Group
	if err := ex.call(ctx, "UserPoolResourceRead", func() (err error) { groups, err = d.DescribeGroups(ctx, ex.er.Pool.ID); return err }); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, g := range groups {
		token := ""
		for {
			var page cognito.Page
			err := ex.call(ctx, "UserList", func() (err error) {
				page, err = d.ListUsers(ctx, ex.er.Pool.ID, cognito.ListFilter{Group: g.Name}, jobs.MaxPageSize, token)
				return err
			})
			if err != nil {
				return nil, err
			}
			for _, u := range page.Users {
				out[u.Username] = append(out[u.Username], g.Name)
			}
			if page.NextToken == "" {
				break
			}
			token = page.NextToken
		}
	}
	for _, gs := range out {
		slices.Sort(gs)
	}
	return out, nil
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// progress posts, then updates in place at most every progress interval, the
// export's message in the requester's direct messages.
func (ex *exporter) progress(ctx context.Context) {
	now := ex.b.Now()
	if ex.progressTS != "" && now.Sub(ex.lastReport) < ex.b.ProgressEvery {
		return
	}
	ex.lastReport = now
	ex.report(ctx, false, "")
}

// report shows the export's state in its message, posting it the first time;
// failed is why it stopped, if it did. An export of one page has no message.
func (ex *exporter) report(ctx context.Context, finished bool, failed string) {
	b := ex.b
	if ex.progressTS == "" && ex.pages <= 1 {
		return
	}
	m := bulkview.ExportProgress(bulkview.ExportProgressView{Pool: ex.er.Pool.Name, Filter: exportFilterText(ex.er), Users: ex.users,
		Pages: ex.pages, Elapsed: b.Now().Sub(ex.started), JobEnd: bulkview.JobEnd{Finished: finished, Failed: failed, JobID: ex.jobID}})
	if ex.progressTS != "" {
		if err := b.UpdateMessage(ctx, ex.progressChannel, ex.progressTS, m); err != nil {
			b.Log.Warn("updating an export's progress", zap.Error(err))
		}
		return
	}
	ch, _, _, err := b.Slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{ex.to}})
	if err == nil {
		ex.progressChannel = ch.ID
		_, ex.progressTS, err = b.Slack.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	}
	if err != nil {
		b.Log.Warn("posting an export's progress", zap.Error(err))
	}
}
