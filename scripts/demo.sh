#!/usr/bin/env bash
# demo.sh — run the real cognito-bot binary against the local world by hand:
# moto (Cognito) and DynamoDB Local via with-emulators.sh, plus the Slack emulator
# (cmd/slack-emulator) in this terminal. A pool "demo" with users alice and bob is
# created, the tables are migrated, and you type what a Slack user would, e.g.
#
#   as U1 /cognito lookup alice        click <ts> card:disable        status
#
# The bot's log goes to .cache/logs/demo-bot.log. Ctrl-D or Ctrl-C ends everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${AWS_ENDPOINT_URL_DYNAMODB:-}" ]; then
  exec ./scripts/with-emulators.sh "$0" "$@"
fi
make -s build
go build -o bin/slack-emulator ./cmd/slack-emulator
mkdir -p .cache/logs

pool=$(python3 - <<'PY'
import json, os, urllib.request
def call(target, body):
    req = urllib.request.Request(os.environ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"], data=json.dumps(body).encode(),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService." + target,
                 "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=x"})
    return json.load(urllib.request.urlopen(req))
pool = call("CreateUserPool", {"PoolName": "demo", "AutoVerifiedAttributes": ["email"]})["UserPool"]["Id"]
for name in ("alice", "bob"):
    call("AdminCreateUser", {"UserPoolId": pool, "Username": name, "MessageAction": "SUPPRESS",
        "UserAttributes": [{"Name": "email", "Value": name + "@example.com"}, {"Name": "email_verified", "Value": "true"}]})
    call("AdminSetUserPassword", {"UserPoolId": pool, "Username": name, "Password": "Demo-Passw0rd!", "Permanent": True})
print(pool)
PY
)
cfg=.cache/demo.yaml
cat >"$cfg" <<YAML
pools:
  - name: demo
    id: $pool
audit:
  table: demo-audit
  state_table: demo-state
roles:
  - name: admin
    actions: ["*"]
    members: [U1]
  - name: support
    actions: [help, lookup, list, reset-password, revoke, audit, pools]
    members: [U2]
approvals:
  - action: delete
    approvers: [U3]
    channel: C0APPROVALS
YAML

export SLACK_API_URL=http://127.0.0.1:3334/api/ SLACK_APP_TOKEN=xapp-1-A0EMULATOR-1-emulator
export SLACK_BOT_TOKEN=xoxb-emulator-bot-token COGNITO_BOT_CONFIG=$cfg
./bin/cognito-bot migrate
(sleep 1; exec ./bin/cognito-bot run --log-format console) >.cache/logs/demo-bot.log 2>&1 &
bot=$!
trap 'kill -TERM $bot 2>/dev/null; wait $bot 2>/dev/null || true' EXIT
echo "Pool $pool: users alice, bob. U1 is admin, U2 support, U3 approves deletes in C0APPROVALS."
echo "Type e.g.: as U1 /cognito lookup alice   (help lists the emulator's commands)"
./bin/slack-emulator -addr 127.0.0.1:3334
