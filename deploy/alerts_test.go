package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// headingAnchors returns the GitHub anchors of every heading of a Markdown file.
func headingAnchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	drop := regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	for _, m := range regexp.MustCompile(`(?m)^#+\s+(.+?)\s*$`).FindAllStringSubmatch(string(b), -1) {
		slug := strings.ReplaceAll(drop.ReplaceAllString(strings.ToLower(m[1]), ""), " ", "-")
		out[slug] = true
	}
	return out
}

// declaredMetrics returns the full names of the metrics internal/metrics declares.
func declaredMetrics(t *testing.T) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob("../internal/metrics/*.go")
	out := map[string]bool{}
	name := regexp.MustCompile(`Name:\s+"([a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(b), -1) {
			out["cognito_bot_"+m[1]] = true
		}
	}
	if len(out) < 10 {
		t.Fatalf("found only %d metric declarations in internal/metrics: the scan is broken", len(out))
	}
	return out
}

// Every alert names metrics the bot exports and has a runbook section in
// docs/operations.md; every signal operators asked for has an alert.
func TestAlertsUseRealMetricsAndEachHasARunbook(t *testing.T) {
	t.Parallel()
	r := renderDir(t, "k8s/overlays/example-prometheus-operator")
	if len(r.rules) != 1 {
		t.Fatalf("%d PrometheusRules with the component, want 1", len(r.rules))
	}
	anchors := headingAnchors(t, "../docs/operations.md")
	declared := declaredMetrics(t)
	const docs = "https://github.com/cognito-bot/cognito-bot/blob/main/docs/operations.md#"
	metricRef := regexp.MustCompile(`cognito_bot_[a-z_]+`)
	used := map[string]bool{}
	alerts := 0
	for _, g := range r.rules[0].Spec.Groups {
		for _, rule := range g.Rules {
			alerts++
			runbook, ok := strings.CutPrefix(rule.Annotations["runbook_url"], docs)
			if !ok || !anchors[runbook] {
				t.Errorf("%s: runbook_url %q is not a section of docs/operations.md", rule.Alert, rule.Annotations["runbook_url"])
			}
			if runbook != strings.ToLower(rule.Alert) {
				t.Errorf("%s: runbook_url points at #%s, not its own section", rule.Alert, runbook)
			}
			if rule.Labels["severity"] == "" || rule.Annotations["summary"] == "" {
				t.Errorf("%s: no severity label or summary", rule.Alert)
			}
			for _, m := range metricRef.FindAllString(rule.Expr, -1) {
				base := m
				for _, suffix := range []string{"_bucket", "_count", "_sum"} {
					if b, ok := strings.CutSuffix(m, suffix); ok && declared[b] {
						base = b
					}
				}
				if !declared[base] {
					t.Errorf("%s uses %s, which the bot does not export", rule.Alert, m)
				}
				used[base] = true
			}
		}
	}
	if alerts == 0 {
		t.Fatal("no alerts")
	}
	for _, m := range []string{"cognito_bot_build_info", "cognito_bot_socket_connected", "cognito_bot_audit_write_seconds",
		"cognito_bot_outcome_unknown_total", "cognito_bot_audit_write_failures_total"} {
		if !used[m] {
			t.Errorf("no alert on %s", m)
		}
	}
}
