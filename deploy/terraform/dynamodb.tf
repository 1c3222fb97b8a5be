# The two tables exactly as `cognito-bot migrate` creates them (keys, indexes, TTL),
# plus what migrate does not do: point-in-time recovery, encryption with an optional
# customer key, and deletion protection. deploy/terraform_test.go keeps them in step
# with the audit package.

resource "aws_dynamodb_table" "audit" {
  name                        = var.audit_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "target_pk"
    type = "S"
  }
  attribute {
    name = "target_sk"
    type = "S"
  }
  attribute {
    name = "actor_pk"
    type = "S"
  }
  attribute {
    name = "actor_sk"
    type = "S"
  }
  attribute {
    name = "open_pk"
    type = "S"
  }
  attribute {
    name = "open_sk"
    type = "S"
  }
  attribute {
    name = "chain_pk"
    type = "S"
  }
  attribute {
    name = "chain_sk"
    type = "S"
  }

  global_secondary_index {
    name            = "by_target"
    hash_key        = "target_pk"
    range_key       = "target_sk"
    projection_type = "ALL"
  }
  global_secondary_index {
    name            = "by_actor"
    hash_key        = "actor_pk"
    range_key       = "actor_sk"
    projection_type = "ALL"
  }
  global_secondary_index {
    name            = "by_open"
    hash_key        = "open_pk"
    range_key       = "open_sk"
    projection_type = "ALL"
  }
  # The audit hash chains, in order (audit verify, audit export, search).
  global_secondary_index {
    name            = "by_chain"
    hash_key        = "chain_pk"
    range_key       = "chain_sk"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_dynamodb_table" "state" {
  name                        = var.state_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "due_pk"
    type = "S"
  }
  attribute {
    name = "due_at"
    type = "S"
  }
  attribute {
    name = "job_pk"
    type = "S"
  }
  attribute {
    name = "job_sk"
    type = "S"
  }

  global_secondary_index {
    name            = "by_due"
    hash_key        = "due_pk"
    range_key       = "due_at"
    projection_type = "ALL"
  }

  # Bulk jobs: every target of a job, in order (audit/state Store jobs).
  global_secondary_index {
    name            = "by_job"
    hash_key        = "job_pk"
    range_key       = "job_sk"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
