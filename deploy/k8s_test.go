package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// rendered is the example overlay as kubectl kustomize renders it, decoded strictly
// into the Kubernetes API types: an unknown or misspelt field fails the test.
type rendered struct {
	namespaces  []corev1.Namespace
	accounts    []corev1.ServiceAccount
	deployments []appsv1.Deployment
	pdbs        []policyv1.PodDisruptionBudget
	services    []corev1.Service
	configMaps  []corev1.ConfigMap
	secrets     []corev1.Secret
	netpols     []networkingv1.NetworkPolicy
	podMonitors []podMonitor
	rules       []prometheusRule
}

func render(t *testing.T) rendered {
	t.Helper()
	return renderDir(t, "k8s/overlays/example")
}

// kustomized holds kubectl kustomize's output per overlay directory: the
// files do not change while the tests run, and each test decodes the output
// afresh, so none sees what another changed in its copy.
var kustomized struct {
	sync.Mutex
	out map[string][]byte
}

// kustomize renders dir once per test binary; a failure is not kept, so every
// test that needs it reports it.
func kustomize(t *testing.T, dir string) []byte {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: cannot render deploy/k8s (install kubectl ≥ 1.27 to run this check)")
	}
	kustomized.Lock()
	defer kustomized.Unlock()
	if out, ok := kustomized.out[dir]; ok {
		return out
	}
	var stderr bytes.Buffer
	cmd := exec.Command(kubectl, "kustomize", dir)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kubectl kustomize %s: %v\n%s", dir, err, stderr.String())
	}
	if kustomized.out == nil {
		kustomized.out = map[string][]byte{}
	}
	kustomized.out[dir] = out
	return out
}

func renderDir(t *testing.T, dir string) rendered {
	t.Helper()
	out := kustomize(t, dir)
	var r rendered
	docs := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(out)))
	for {
		doc, err := docs.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatal(err)
		}
		strict := func(into any) {
			if err := yaml.UnmarshalStrict(doc, into); err != nil {
				t.Errorf("%s does not decode strictly: %v", meta.Kind, err)
			}
		}
		switch meta.APIVersion + " " + meta.Kind {
		case "v1 Namespace":
			var o corev1.Namespace
			strict(&o)
			r.namespaces = append(r.namespaces, o)
		case "v1 ServiceAccount":
			var o corev1.ServiceAccount
			strict(&o)
			r.accounts = append(r.accounts, o)
		case "apps/v1 Deployment":
			var o appsv1.Deployment
			strict(&o)
			r.deployments = append(r.deployments, o)
		case "policy/v1 PodDisruptionBudget":
			var o policyv1.PodDisruptionBudget
			strict(&o)
			r.pdbs = append(r.pdbs, o)
		case "v1 Service":
			var o corev1.Service
			strict(&o)
			r.services = append(r.services, o)
		case "v1 ConfigMap":
			var o corev1.ConfigMap
			strict(&o)
			r.configMaps = append(r.configMaps, o)
		case "v1 Secret":
			var o corev1.Secret
			strict(&o)
			r.secrets = append(r.secrets, o)
		case "networking.k8s.io/v1 NetworkPolicy":
			var o networkingv1.NetworkPolicy
			strict(&o)
			r.netpols = append(r.netpols, o)
		case "monitoring.coreos.com/v1 PodMonitor":
			var o podMonitor
			strict(&o)
			r.podMonitors = append(r.podMonitors, o)
		case "monitoring.coreos.com/v1 PrometheusRule":
			var o prometheusRule
			strict(&o)
			r.rules = append(r.rules, o)
		default:
			t.Errorf("unexpected object %s %s: add it to this test", meta.APIVersion, meta.Kind)
		}
	}
	return r
}

func TestKustomizeExampleRendersAHardenedDeployment(t *testing.T) {
	t.Parallel()
	r := render(t)
	if len(r.deployments) != 1 || len(r.accounts) != 1 || len(r.pdbs) != 1 || len(r.configMaps) != 1 || len(r.secrets) != 1 {
		t.Fatalf("rendered %d deployment(s), %d service account(s), %d PDB(s), %d config map(s), %d secret(s); want one each",
			len(r.deployments), len(r.accounts), len(r.pdbs), len(r.configMaps), len(r.secrets))
	}
	d, sa, pdb, cm, secret := r.deployments[0], r.accounts[0], r.pdbs[0], r.configMaps[0], r.secrets[0]
	pod := d.Spec.Template.Spec

	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas = %v, want 2", d.Spec.Replicas)
	}
	if pod.ServiceAccountName != sa.Name {
		t.Errorf("the pod runs as %q, not the annotated service account %q", pod.ServiceAccountName, sa.Name)
	}
	if arn := sa.Annotations["eks.amazonaws.com/role-arn"]; !regexp.MustCompile(`^arn:aws:iam::\d{12}:role/.+`).MatchString(arn) {
		t.Errorf("IRSA annotation eks.amazonaws.com/role-arn = %q, want a role ARN", arn)
	}
	if psc := pod.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Error("the pod does not run as a non-root user")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("the root filesystem is writable")
	}
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		t.Error("the container may escalate privileges or keeps capabilities")
	}
	for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if _, ok := c.Resources.Requests[res]; !ok {
			t.Errorf("no %s request", res)
		}
		if _, ok := c.Resources.Limits[res]; !ok {
			t.Errorf("no %s limit", res)
		}
	}
	if c.Image == "cognito-bot" || !strings.Contains(c.Image, ":") {
		t.Errorf("image %q: the overlay must pin a registry and tag", c.Image)
	}

	// The configuration the pod mounts must be one the bot accepts.
	cfg := loadMountedConfig(t, cm)
	_, port, _ := net.SplitHostPort(cfg.Ops.Listen)
	probe := func(name string, p *corev1.Probe, path string) {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("no %s HTTP probe", name)
			return
		}
		if p.HTTPGet.Path != path {
			t.Errorf("%s probe path %q, want %q", name, p.HTTPGet.Path, path)
		}
		if got := containerPort(c, p.HTTPGet.Port.String()); got != port {
			t.Errorf("%s probe targets port %s but ops.listen is %q", name, got, cfg.Ops.Listen)
		}
	}
	probe("liveness", c.LivenessProbe, "/healthz")
	probe("readiness", c.ReadinessProbe, "/readyz")
	grace := int64(30) // Kubernetes' default
	if pod.TerminationGracePeriodSeconds != nil {
		grace = *pod.TerminationGracePeriodSeconds
	}
	if drain := int64(cfg.Ops.ShutdownTimeout.Std().Seconds()); grace <= drain {
		t.Errorf("terminationGracePeriodSeconds %d does not exceed ops.shutdown_timeout %ds: pods would be killed mid-drain", grace, drain)
	}

	// The Slack tokens come from a Secret the container actually reads.
	var fromSecret bool
	for _, src := range c.EnvFrom {
		fromSecret = fromSecret || (src.SecretRef != nil && src.SecretRef.Name == secret.Name)
	}
	if !fromSecret {
		t.Errorf("the container does not read Secret %s", secret.Name)
	}
	for _, key := range []string{config.EnvAppToken, config.EnvBotToken} {
		if _, ok := secret.Data[key]; !ok {
			t.Errorf("Secret %s lacks %s", secret.Name, key)
		}
	}
	var mountsConfig bool
	for _, v := range pod.Volumes {
		mountsConfig = mountsConfig || (v.ConfigMap != nil && v.ConfigMap.Name == cm.Name)
	}
	if !mountsConfig {
		t.Errorf("the pod does not mount ConfigMap %s", cm.Name)
	}

	// The PDB keeps one replica through voluntary disruptions and covers these pods.
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() < 1 {
		t.Errorf("PDB minAvailable = %v, want ≥ 1", pdb.Spec.MinAvailable)
	}
	sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("the PDB selector %v does not select the bot's pods %v", pdb.Spec.Selector, d.Spec.Template.Labels)
	}
	for _, svc := range r.services {
		if len(svc.Spec.Selector) == 0 || !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(d.Spec.Template.Labels)) {
			t.Errorf("Service %s does not select the bot's pods", svc.Name)
		}
	}
	if len(r.namespaces) == 1 && r.namespaces[0].Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Error("the namespace does not enforce the restricted Pod Security Standard")
	}
}

// containerPort resolves a probe's port (a name or a number) to a number.
func containerPort(c corev1.Container, port string) string {
	for _, p := range c.Ports {
		if p.Name == port {
			return strconv.Itoa(int(p.ContainerPort))
		}
	}
	return port
}

// loadMountedConfig validates the ConfigMap's cognito-bot.yaml with the bot's own
// loader, tokens supplied as the Secret would.
func loadMountedConfig(t *testing.T, cm corev1.ConfigMap) *config.Config {
	t.Helper()
	body, ok := cm.Data["cognito-bot.yaml"]
	if !ok {
		t.Fatalf("ConfigMap %s has no cognito-bot.yaml", cm.Name)
	}
	path := filepath.Join(t.TempDir(), "cognito-bot.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{config.EnvAppToken: "xapp-1-test", config.EnvBotToken: "xoxb-test"}
	cfg, err := config.Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("the mounted configuration is invalid: %v", err)
	}
	if cfg.Ops.Listen == "" {
		t.Fatal("the mounted configuration sets no ops.listen: probes and metrics would have nothing to reach")
	}
	return cfg
}
