# The bot's IAM role, assumed through IRSA by its Kubernetes service account, with the
# least-privilege policy. By default the policy grants every action's Cognito calls on
# var.user_pool_arns: the action lists and the audit attributes an update may touch come
# from iam_actions.tf.json, which `make iam-policy` generates from the code
# (internal/actions and the audit package); deploy/iam-policy.json is the same policy
# for installations without Terraform. With var.bot_policy_json — the output of
# `cognito-bot iam-policy --config cognito-bot.yaml --account …` — the role gets only
# what that configuration's roles can do, pool by pool.

# The tables' region and partition, read from the audit table's ARN: the same on the
# v5 and v6 providers (v6 deprecates data.aws_region's "name").
data "aws_arn" "audit_table" {
  arn = aws_dynamodb_table.audit.arn
}

locals {
  oidc_issuer = replace(data.aws_iam_openid_connect_provider.cluster.url, "https://", "")
  table_arns  = [aws_dynamodb_table.audit.arn, aws_dynamodb_table.state.arn]
  index_arns  = [for arn in local.table_arns : "${arn}/index/*"]
}

data "aws_iam_openid_connect_provider" "cluster" {
  arn = var.oidc_provider_arn
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "bot" {
  name                 = var.role_name
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

# The generic policy: every action on every pool of var.user_pool_arns.
data "aws_iam_policy_document" "generic" {
  statement {
    sid       = "CognitoUserAdministration"
    actions   = local.bot_cognito_actions
    resources = var.user_pool_arns
  }

  statement {
    sid       = "AuditLogAndState"
    actions   = local.bot_dynamodb_actions
    resources = concat(local.table_arns, local.index_arns)
  }

  # The audit log is append-only: no deletes, no unconditional batch writes, no PartiQL.
  statement {
    sid       = "AuditLogIsAppendOnly"
    effect    = "Deny"
    actions   = local.audit_denied_actions
    resources = [aws_dynamodb_table.audit.arn]
  }

  # An entry may only gain its outcome: an update naming any other attribute is denied.
  # IAM has no condition on a put's condition expression, so it cannot stop a put
  # from overwriting an entry: the bot writes new entries with attribute_not_exists(pk),
  # and point-in-time recovery keeps what an overwrite by other means would replace.
  statement {
    sid       = "AuditEntriesOnlyGainAnOutcome"
    effect    = "Deny"
    actions   = ["dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.audit.arn]
    condition {
      test     = "ForAnyValue:StringNotEquals"
      variable = "dynamodb:Attributes"
      values   = local.audit_updatable_attributes
    }
  }
}

data "aws_iam_policy_document" "bot" {
  source_policy_documents = [coalesce(var.bot_policy_json, data.aws_iam_policy_document.generic.json)]

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "TableEncryptionKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${data.aws_arn.audit_table.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "bot" {
  name   = "cognito-bot"
  role   = aws_iam_role.bot.id
  policy = data.aws_iam_policy_document.bot.json

  lifecycle {
    precondition {
      condition     = var.bot_policy_json == null || (strcontains(coalesce(var.bot_policy_json, "-"), aws_dynamodb_table.audit.arn) && strcontains(coalesce(var.bot_policy_json, "-"), aws_dynamodb_table.state.arn))
      error_message = "bot_policy_json does not name this module's tables: run cognito-bot iam-policy with the same audit.table and audit.state_table, the account id (--account) and AWS_REGION set to the tables' region."
    }
    precondition {
      condition     = var.bot_policy_json == null || length([for arn in var.user_pool_arns : arn if !strcontains(coalesce(var.bot_policy_json, "-"), arn)]) == 0
      error_message = "bot_policy_json does not cover every pool of user_pool_arns: generate it from the configuration that lists those pools."
    }
  }
}
