package deploy

import (
	"context"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/iampolicy"
)

// tfBlocks parses every .tf file and returns the top-level blocks of one type.
func tfBlocks(t *testing.T, kind string) []*hclsyntax.Block {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(terraformDir, "*.tf"))
	p := hclparse.NewParser()
	var out []*hclsyntax.Block
	for _, f := range files {
		file, diags := p.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatalf("parsing %s: %s", f, diags.Error())
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			if b.Type == kind {
				out = append(out, b)
			}
		}
	}
	return out
}

// traversals lists every reference (var.x, aws_dynamodb_table.audit.arn, …) in body.
func traversals(body *hclsyntax.Body) []string {
	var out []string
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		if e, ok := n.(*hclsyntax.ScopeTraversalExpr); ok {
			var parts []string
			for _, step := range e.Traversal {
				switch s := step.(type) {
				case hcl.TraverseRoot:
					parts = append(parts, s.Name)
				case hcl.TraverseAttr:
					parts = append(parts, s.Name)
				}
			}
			out = append(out, strings.Join(parts, "."))
		}
		return nil
	})
	return out
}

func refers(body *hclsyntax.Body, ref string) bool {
	for _, r := range traversals(body) {
		if r == ref || strings.HasPrefix(r, ref+".") {
			return true
		}
	}
	return false
}

func TestTerraformProviderIsBoundedAndAvoidsWhatV6Deprecates(t *testing.T) {
	t.Parallel()
	var version string
	for _, tf := range tfBlocks(t, "terraform") {
		for _, rp := range blocks(tf.Body, "required_providers") {
			a, ok := rp.Body.Attributes["aws"]
			if !ok {
				continue
			}
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			version = v.GetAttr("version").AsString()
		}
	}
	if version != ">= 5.40, < 7" {
		t.Errorf("hashicorp/aws version %q, want \">= 5.40, < 7\": unbounded, the next major version can break the module", version)
	}
	for _, kind := range []string{"resource", "data", "output", "locals"} {
		for _, b := range tfBlocks(t, kind) {
			for _, r := range traversals(b.Body) {
				if strings.HasPrefix(r, "data.aws_region.") && strings.HasSuffix(r, ".name") {
					t.Errorf("%s %v uses %s, deprecated in provider v6", kind, b.Labels, r)
				}
			}
		}
	}
}

// tfFuncs are the Terraform functions the validations use.
var tfFuncs = map[string]function.Function{
	"can": tryfunc.CanFunc, "regex": stdlib.RegexFunc, "length": stdlib.LengthFunc, "coalesce": stdlib.CoalesceFunc,
	"jsondecode": stdlib.JSONDecodeFunc, "contains": stdlib.ContainsFunc, "floor": stdlib.FloorFunc,
}

// validate evaluates every validation block of variable name with value; it returns
// the error messages of those that fail.
func validate(t *testing.T, variables map[string]*hclsyntax.Body, name string, value cty.Value) []string {
	t.Helper()
	body, ok := variables[name]
	if !ok {
		t.Fatalf("no variable %q", name)
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{name: value})}, Functions: tfFuncs}
	var failed []string
	for _, v := range blocks(body, "validation") {
		got, diags := v.Body.Attributes["condition"].Expr.Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("var.%s = %#v: the condition does not evaluate: %s", name, value, diags.Error())
		}
		if got.IsNull() || got.False() {
			msg, _ := v.Body.Attributes["error_message"].Expr.Value(nil)
			failed = append(failed, msg.AsString())
		}
	}
	return failed
}

func TestTerraformVariablesRejectWhatWouldBreakThePolicy(t *testing.T) {
	t.Parallel()
	variables := map[string]*hclsyntax.Body{}
	for _, b := range tfBlocks(t, "variable") {
		variables[b.Labels[0]] = b.Body
	}
	for name, body := range variables {
		if name != "tags" && name != "backup_enabled" && len(blocks(body, "validation")) == 0 {
			t.Errorf("variable %s has no validation block", name)
		}
		if d, ok := body.Attributes["default"]; ok {
			v, _ := d.Expr.Value(nil)
			if typ, ok := body.Attributes["type"]; ok && hcl.ExprAsKeyword(typ.Expr) == "string" && v.IsNull() {
				v = cty.NullVal(cty.String)
			}
			if failed := validate(t, variables, name, v); len(failed) > 0 {
				t.Errorf("variable %s fails its own validation with its default: %v", name, failed)
			}
		}
	}

	str, null := cty.StringVal, cty.NullVal(cty.String)
	pools := func(arns ...string) cty.Value {
		if len(arns) == 0 {
			return cty.ListValEmpty(cty.String)
		}
		var vs []cty.Value
		for _, a := range arns {
			vs = append(vs, str(a))
		}
		return cty.ListVal(vs)
	}
	policy := func(account string) cty.Value {
		cfg := &config.Config{Pools: []config.Pool{{Name: "prod", ID: "eu-west-1_AbCdEf123"}},
			Audit: config.Audit{Table: "cognito-bot-audit", StateTable: "cognito-bot-state"},
			Roles: []config.Role{{Name: "desk", Actions: []config.Action{"lookup"}}}}
		doc, err := iampolicy.ForConfig(context.Background(), cfg, iampolicy.Installation{Account: account})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		return str(string(b))
	}
	cases := []struct {
		name  string
		value cty.Value
		ok    bool
	}{
		{"user_pool_arns", pools(), false},
		{"user_pool_arns", pools("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123"), true},
		{"user_pool_arns", pools("eu-west-1_AbCdEf123"), false},
		{"user_pool_arns", pools("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123", "*"), false},
		{"oidc_provider_arn", str("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"), true},
		{"oidc_provider_arn", str(""), false},
		{"audit_table_name", str("a"), false},
		{"state_table_name", str("bad name"), false},
		{"kms_key_arn", null, true},
		{"kms_key_arn", str("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"), true},
		{"kms_key_arn", str("my-key"), false},
		{"role_name", str("cognito bot"), false},
		{"namespace", str("Cognito_Bot"), false},
		{"bot_policy_json", null, true},
		{"bot_policy_json", policy("123456789012"), true},
		{"bot_policy_json", policy(""), false}, // still says ACCOUNT_ID
		{"bot_policy_json", str("not json"), false},
		{"backup_retention_days", cty.NumberIntVal(7), false},
		{"backup_retention_days", cty.NumberVal(big.NewFloat(400.5)), false},
		{"backup_vault_lock", str("compliance"), true},
		{"backup_vault_lock", str("strict"), false},
		{"backup_schedule", str("daily"), false},
	}
	for _, c := range cases {
		failed := validate(t, variables, c.name, c.value)
		if c.ok && len(failed) > 0 {
			t.Errorf("var.%s = %s is refused: %v", c.name, c.value.GoString(), failed)
		}
		if !c.ok && len(failed) == 0 {
			t.Errorf("var.%s = %s is accepted", c.name, c.value.GoString())
		}
	}
}

func TestTerraformOutputsTheTableARNs(t *testing.T) {
	t.Parallel()
	outputs := map[string]*hclsyntax.Body{}
	for _, b := range tfBlocks(t, "output") {
		outputs[b.Labels[0]] = b.Body
	}
	for name, ref := range map[string]string{"audit_table_arn": "aws_dynamodb_table.audit.arn", "state_table_arn": "aws_dynamodb_table.state.arn"} {
		body, ok := outputs[name]
		if !ok || !refers(body, ref) {
			t.Errorf("no output %s = %s", name, ref)
		}
	}
}

// Point-in-time recovery reaches back 35 days; entries live a year. The optional
// backup plan covers the audit table for at least that long, and can lock its vault.
func TestOptionalBackupPlanCoversTheAuditRetention(t *testing.T) {
	t.Parallel()
	resources := func(kind string) map[string]*hclsyntax.Body { return tfResources(t, kind) }
	plan, ok := resources("aws_backup_plan")["audit"]
	if !ok {
		t.Fatal("no aws_backup_plan.audit")
	}
	selection, ok := resources("aws_backup_selection")["audit"]
	if !ok || !refers(selection, "aws_dynamodb_table.audit.arn") {
		t.Fatal("no aws_backup_selection of the audit table")
	}
	lock, ok := resources("aws_backup_vault_lock_configuration")["audit"]
	if !ok || !refers(lock, "var.backup_vault_lock") || !refers(lock, "var.backup_retention_days") {
		t.Error("no vault lock option (aws_backup_vault_lock_configuration driven by var.backup_vault_lock)")
	}
	for name, body := range map[string]*hclsyntax.Body{"plan": plan, "selection": selection, "vault": resources("aws_backup_vault")["audit"]} {
		if body == nil || body.Attributes["count"] == nil {
			t.Errorf("the backup %s is not optional (no count)", name)
		}
	}
	rules := blocks(plan, "rule")
	if len(rules) != 1 || len(blocks(rules[0].Body, "lifecycle")) != 1 || !refers(blocks(rules[0].Body, "lifecycle")[0].Body, "var.backup_retention_days") {
		t.Fatal("the backup rule does not keep backups for var.backup_retention_days")
	}
	for _, b := range tfBlocks(t, "variable") {
		if b.Labels[0] != "backup_retention_days" {
			continue
		}
		d, _ := b.Body.Attributes["default"].Expr.Value(nil)
		days, _ := d.AsBigFloat().Int64()
		if want := int64(config.DefaultRetention.Std().Hours() / 24); days < want {
			t.Errorf("backups are kept %d days by default, less than the default audit retention of %d days", days, want)
		}
	}
}
