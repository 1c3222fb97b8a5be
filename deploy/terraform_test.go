package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// terraformDir holds the Terraform configuration.
const terraformDir = "terraform"

// tfResources parses every .tf file and returns the resources of one type by name.
func tfResources(t *testing.T, kind string) map[string]*hclsyntax.Body {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(terraformDir, "*.tf"))
	if len(files) == 0 {
		t.Fatal("no .tf files in deploy/terraform")
	}
	p := hclparse.NewParser()
	out := map[string]*hclsyntax.Body{}
	for _, f := range files {
		file, diags := p.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatalf("parsing %s: %s", f, diags.Error())
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == kind {
				out[b.Labels[1]] = b.Body
			}
		}
	}
	return out
}

// literal evaluates a constant attribute of body; "" with ok=false when it is absent.
func literal(t *testing.T, body *hclsyntax.Body, name string) (string, bool) {
	t.Helper()
	a, ok := body.Attributes[name]
	if !ok {
		return "", false
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s is not a constant: %s", name, diags.Error())
	}
	if v.Type().FriendlyName() == "bool" {
		return fmt.Sprint(v.True()), true
	}
	return v.AsString(), true
}

func blocks(body *hclsyntax.Body, kind string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == kind {
			out = append(out, b)
		}
	}
	return out
}

func TestTerraformTablesMatchWhatMigrateCreates(t *testing.T) {
	t.Parallel()
	created, ttl := migrated(t)
	tables := tfResources(t, "aws_dynamodb_table")
	for _, role := range []string{auditRole, stateRole} {
		t.Run(role, func(t *testing.T) {
			body, ok := tables[role]
			if !ok {
				t.Fatalf("no resource aws_dynamodb_table.%s", role)
			}
			want := created[role]
			compareTable(t, body, want, ttl[role])
		})
	}
	if len(tables) != 2 {
		t.Errorf("Terraform declares %d tables; Migrate creates 2", len(tables))
	}
}

func compareTable(t *testing.T, body *hclsyntax.Body, want *dynamodb.CreateTableInput, wantTTL string) {
	if got, _ := literal(t, body, "billing_mode"); got != string(want.BillingMode) {
		t.Errorf("billing_mode = %q, Migrate uses %q", got, want.BillingMode)
	}
	hash, rng := keys(want.KeySchema)
	if got, _ := literal(t, body, "hash_key"); got != hash {
		t.Errorf("hash_key = %q, Migrate uses %q", got, hash)
	}
	if got, _ := literal(t, body, "range_key"); got != rng {
		t.Errorf("range_key = %q, Migrate uses %q", got, rng)
	}

	var gotAttrs, wantAttrs []string
	for _, b := range blocks(body, "attribute") {
		name, _ := literal(t, b.Body, "name")
		typ, _ := literal(t, b.Body, "type")
		gotAttrs = append(gotAttrs, name+":"+typ)
	}
	for _, a := range want.AttributeDefinitions {
		wantAttrs = append(wantAttrs, aws.ToString(a.AttributeName)+":"+string(a.AttributeType))
	}
	sort.Strings(gotAttrs)
	sort.Strings(wantAttrs)
	wantAttrs = slices.Compact(wantAttrs)
	if !slices.Equal(gotAttrs, wantAttrs) {
		t.Errorf("attributes %v, Migrate defines %v", gotAttrs, wantAttrs)
	}

	describe := func(name, hash, rng, projection string) string {
		return fmt.Sprintf("%s(hash=%s range=%s projection=%s)", name, hash, rng, projection)
	}
	var gotIdx, wantIdx []string
	for _, b := range blocks(body, "global_secondary_index") {
		name, _ := literal(t, b.Body, "name")
		h, _ := literal(t, b.Body, "hash_key")
		r, _ := literal(t, b.Body, "range_key")
		p, _ := literal(t, b.Body, "projection_type")
		gotIdx = append(gotIdx, describe(name, h, r, p))
	}
	for _, g := range want.GlobalSecondaryIndexes {
		h, r := keys(g.KeySchema)
		wantIdx = append(wantIdx, describe(aws.ToString(g.IndexName), h, r, string(g.Projection.ProjectionType)))
	}
	sort.Strings(gotIdx)
	sort.Strings(wantIdx)
	if !slices.Equal(gotIdx, wantIdx) {
		t.Errorf("indexes\n  terraform: %v\n  migrate:   %v", gotIdx, wantIdx)
	}

	ttlBlocks := blocks(body, "ttl")
	if len(ttlBlocks) != 1 {
		t.Fatalf("%d ttl blocks, want 1", len(ttlBlocks))
	}
	if got, _ := literal(t, ttlBlocks[0].Body, "attribute_name"); got != wantTTL {
		t.Errorf("TTL attribute %q, Migrate enables %q", got, wantTTL)
	}
	if got, _ := literal(t, ttlBlocks[0].Body, "enabled"); got != "true" {
		t.Error("TTL is not enabled")
	}

	// What Migrate leaves to the operator and Terraform adds.
	pitr := blocks(body, "point_in_time_recovery")
	if len(pitr) != 1 {
		t.Error("no point_in_time_recovery block")
	} else if got, _ := literal(t, pitr[0].Body, "enabled"); got != "true" {
		t.Error("point-in-time recovery is off")
	}
	if got, _ := literal(t, body, "deletion_protection_enabled"); got != "true" {
		t.Error("deletion protection is off")
	}
	sse := blocks(body, "server_side_encryption")
	if len(sse) != 1 || !refersTo(sse[0].Body, "kms_key_arn", "var", "kms_key_arn") {
		t.Error("server_side_encryption does not take the optional customer key var.kms_key_arn")
	}
}

// refersTo reports whether attribute name of body is the reference root.attr.
func refersTo(body *hclsyntax.Body, name, root, attr string) bool {
	a, ok := body.Attributes[name]
	if !ok {
		return false
	}
	for _, tr := range a.Expr.Variables() {
		if tr.RootName() == root && len(tr) > 1 {
			if ga, ok := tr[1].(hcl.TraverseAttr); ok && ga.Name == attr {
				return true
			}
		}
	}
	return false
}

func keys(ks []types.KeySchemaElement) (hash, rng string) {
	for _, k := range ks {
		switch k.KeyType {
		case types.KeyTypeHash:
			hash = aws.ToString(k.AttributeName)
		case types.KeyTypeRange:
			rng = aws.ToString(k.AttributeName)
		}
	}
	return hash, rng
}

func TestTerraformIsFormatted(t *testing.T) {
	t.Parallel()
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed: skipping `terraform fmt -check` (the HCL is still parsed by the other tests)")
	}
	cmd := exec.Command(tf, "fmt", "-check", "-recursive", "-diff", terraformDir)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("terraform fmt -check: %v\n%s\nrun: terraform fmt -recursive deploy/terraform", err, out)
	}
}
