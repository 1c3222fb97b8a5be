// Package deploy holds no code: it is the home of the deployment artefacts (the
// Dockerfile's checks, deploy/k8s, deploy/terraform, the IAM policies and the Slack
// app manifest) and of the tests that keep them honest without a Docker engine, a
// cluster or an AWS account.
package deploy
