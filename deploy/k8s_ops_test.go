package deploy

import (
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// podMonitor is the part of the Prometheus Operator's PodMonitor the component
// uses; decoding is strict, so a field outside it fails the test.
type podMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector            metav1.LabelSelector `json:"selector"`
		PodMetricsEndpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path"`
			Interval string `json:"interval"`
		} `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

// prometheusRule is the part of the Prometheus Operator's PrometheusRule the
// component uses.
type prometheusRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Alert       string            `json:"alert"`
				Expr        string            `json:"expr"`
				For         string            `json:"for"`
				Labels      map[string]string `json:"labels"`
				Annotations map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	} `json:"spec"`
}

func onlyDeployment(t *testing.T, r rendered) (appsv1.Deployment, corev1.Container) {
	t.Helper()
	if len(r.deployments) != 1 || len(r.deployments[0].Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want one deployment with one container, rendered %d", len(r.deployments))
	}
	d := r.deployments[0]
	return d, d.Spec.Template.Spec.Containers[0]
}

func TestPDBLetsUnhealthyPodsBeEvictedSoAnOutageDoesNotBlockDrains(t *testing.T) {
	t.Parallel()
	r := render(t)
	if len(r.pdbs) != 1 {
		t.Fatalf("%d PDBs", len(r.pdbs))
	}
	p := r.pdbs[0].Spec.UnhealthyPodEvictionPolicy
	if p == nil || *p != policyv1.AlwaysAllow {
		t.Errorf("unhealthyPodEvictionPolicy = %v, want AlwaysAllow: during a Slack outage both pods are unready and the PDB would block every node drain", p)
	}
}

func TestPodsSpreadOverNodesAndZones(t *testing.T) {
	t.Parallel()
	d, _ := onlyDeployment(t, render(t))
	keys := map[string]bool{}
	for _, c := range d.Spec.Template.Spec.TopologySpreadConstraints {
		sel, err := metav1.LabelSelectorAsSelector(c.LabelSelector)
		if err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			t.Errorf("spread on %s does not select the bot's pods", c.TopologyKey)
			continue
		}
		if c.MaxSkew != 1 {
			t.Errorf("spread on %s has maxSkew %d, want 1", c.TopologyKey, c.MaxSkew)
		}
		keys[c.TopologyKey] = true
	}
	for _, k := range []string{"kubernetes.io/hostname", "topology.kubernetes.io/zone"} {
		if !keys[k] {
			t.Errorf("no topology spread on %s", k)
		}
	}
}

func TestGoMemLimitFollowsTheContainersMemoryLimit(t *testing.T) {
	t.Parallel()
	_, c := onlyDeployment(t, render(t))
	i := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "GOMEMLIMIT" })
	if i < 0 {
		t.Fatal("no GOMEMLIMIT: the Go GC does not know the container's memory limit")
	}
	ref := c.Env[i].ValueFrom
	if ref == nil || ref.ResourceFieldRef == nil || ref.ResourceFieldRef.Resource != "limits.memory" {
		t.Fatalf("GOMEMLIMIT = %+v, want the container's limits.memory (downward API)", c.Env[i])
	}
	if rf := ref.ResourceFieldRef; rf.ContainerName != "" && rf.ContainerName != c.Name {
		t.Errorf("GOMEMLIMIT reads container %q's limit, not %q's", rf.ContainerName, c.Name)
	}
	// GOMEMLIMIT without a unit is bytes: the divisor must be 1 (or unset).
	if d := ref.ResourceFieldRef.Divisor; !d.IsZero() && d.Value() != 1 {
		t.Errorf("GOMEMLIMIT divisor %s: the runtime would read a byte count %s times too small", d.String(), d.String())
	}
	if _, ok := c.Resources.Limits[corev1.ResourceMemory]; !ok {
		t.Error("no memory limit for GOMEMLIMIT to follow")
	}
	if j := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "AWS_REGION" }); j < 0 {
		t.Error("the overlay's AWS_REGION replaced or lost the base's env (patch with env/-)")
	}
}

func TestExportsSpoolOnAWritableVolumeUnderAReadOnlyRoot(t *testing.T) {
	t.Parallel()
	d, c := onlyDeployment(t, render(t))
	const dir = "/var/spool/cognito-bot"
	if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("the root filesystem must stay read-only")
	}
	i := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "TMPDIR" })
	if i < 0 || c.Env[i].Value != dir {
		t.Errorf("TMPDIR is not %s: os.TempDir() would be /tmp on a read-only root", dir)
	}
	j := slices.IndexFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == dir })
	if j < 0 || c.VolumeMounts[j].ReadOnly {
		t.Fatalf("nothing writable is mounted at %s", dir)
	}
	k := slices.IndexFunc(d.Spec.Template.Spec.Volumes, func(v corev1.Volume) bool { return v.Name == c.VolumeMounts[j].Name })
	if k < 0 || d.Spec.Template.Spec.Volumes[k].EmptyDir == nil || c.VolumeMounts[j].Name != "spool" {
		t.Errorf("%s is not the emptyDir volume \"spool\"", dir)
	}
}

func TestNetworkPolicyAllowsOnlyDNSAndHTTPSOutAndMetricsIn(t *testing.T) {
	t.Parallel()
	r := render(t)
	d, c := onlyDeployment(t, r)
	if len(r.netpols) != 1 {
		t.Fatalf("%d NetworkPolicies, want 1", len(r.netpols))
	}
	np := r.netpols[0].Spec
	sel, err := metav1.LabelSelectorAsSelector(&np.PodSelector)
	if err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Fatalf("the NetworkPolicy does not select the bot's pods")
	}
	if !slices.Contains(np.PolicyTypes, "Ingress") || !slices.Contains(np.PolicyTypes, "Egress") {
		t.Errorf("policyTypes %v: both directions must be restricted", np.PolicyTypes)
	}
	type hole struct {
		proto string
		port  string
	}
	portOf := func(p *intstr.IntOrString) string {
		if p == nil {
			return "any"
		}
		return containerPort(c, p.String())
	}
	var in, out []hole
	for _, rule := range np.Ingress {
		if len(rule.Ports) == 0 {
			t.Error("an ingress rule allows every port")
		}
		for _, p := range rule.Ports {
			in = append(in, hole{string(*p.Protocol), portOf(p.Port)})
		}
	}
	for _, rule := range np.Egress {
		if len(rule.Ports) == 0 {
			t.Error("an egress rule allows every port")
		}
		for _, p := range rule.Ports {
			out = append(out, hole{string(*p.Protocol), portOf(p.Port)})
		}
	}
	metrics := containerPort(c, "metrics")
	if !slices.Equal(in, []hole{{"TCP", metrics}}) {
		t.Errorf("ingress allows %v, want only the metrics port TCP/%s", in, metrics)
	}
	want := []hole{{"UDP", "53"}, {"TCP", "53"}, {"TCP", "443"}}
	slices.SortFunc(out, func(a, b hole) int { return compareHoles(a.proto+a.port, b.proto+b.port) })
	slices.SortFunc(want, func(a, b hole) int { return compareHoles(a.proto+a.port, b.proto+b.port) })
	if !slices.Equal(out, want) {
		t.Errorf("egress allows %v, want DNS (UDP and TCP 53) and HTTPS (TCP 443) only", out)
	}
}

func compareHoles(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestOptionalPodMonitorScrapesEveryReplicasMetricsPort(t *testing.T) {
	t.Parallel()
	plain := render(t)
	if len(plain.podMonitors) != 0 || len(plain.rules) != 0 {
		t.Error("the plain example must not need the Prometheus Operator's CRDs")
	}
	r := renderDir(t, "k8s/overlays/example-prometheus-operator")
	d, c := onlyDeployment(t, r)
	if len(r.podMonitors) != 1 {
		t.Fatalf("%d PodMonitors with the component, want 1", len(r.podMonitors))
	}
	pm := r.podMonitors[0]
	if pm.Namespace != d.Namespace {
		t.Errorf("the PodMonitor is in namespace %q, the pods in %q", pm.Namespace, d.Namespace)
	}
	sel, err := metav1.LabelSelectorAsSelector(&pm.Spec.Selector)
	if err != nil || sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("the PodMonitor does not select the bot's pods")
	}
	if len(pm.Spec.PodMetricsEndpoints) != 1 {
		t.Fatalf("%d endpoints", len(pm.Spec.PodMetricsEndpoints))
	}
	ep := pm.Spec.PodMetricsEndpoints[0]
	if slices.IndexFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == ep.Port }) < 0 || ep.Path != "/metrics" {
		t.Errorf("the PodMonitor scrapes port %q path %q; the container names %v", ep.Port, ep.Path, c.Ports)
	}
}
