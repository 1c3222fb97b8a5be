# Optional AWS Backup plan for the audit log (var.backup_enabled). Point-in-time
# recovery restores any second of the last 35 days; audit entries live for
# audit.retention (365 days by default), so without backups an entry older than 35
# days that is lost or overwritten cannot be brought back. The state table holds only
# short-lived pending actions, sessions and jobs, and is not backed up.

locals {
  backup_count = var.backup_enabled ? 1 : 0
}

resource "aws_backup_vault" "audit" {
  count       = local.backup_count
  name        = "${var.audit_table_name}-backups"
  kms_key_arn = var.backup_kms_key_arn
  tags        = var.tags
}

# With a lock, backups cannot be deleted before min_retention_days, nor kept past
# max_retention_days. Compliance mode becomes immutable after changeable_for_days.
resource "aws_backup_vault_lock_configuration" "audit" {
  count               = var.backup_enabled && var.backup_vault_lock != "none" ? 1 : 0
  backup_vault_name   = aws_backup_vault.audit[0].name
  min_retention_days  = var.backup_retention_days
  max_retention_days  = var.backup_retention_days
  changeable_for_days = var.backup_vault_lock == "compliance" ? 3 : null
}

resource "aws_backup_plan" "audit" {
  count = local.backup_count
  name  = "${var.audit_table_name}-backups"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.audit[0].name
    schedule          = var.backup_schedule

    lifecycle {
      delete_after = var.backup_retention_days
    }
  }

  tags = var.tags
}

data "aws_iam_policy_document" "backup_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  count              = local.backup_count
  name               = "${var.role_name}-backup"
  assume_role_policy = data.aws_iam_policy_document.backup_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  count      = local.backup_count
  role       = aws_iam_role.backup[0].name
  policy_arn = "arn:${data.aws_arn.audit_table.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "restore" {
  count      = local.backup_count
  role       = aws_iam_role.backup[0].name
  policy_arn = "arn:${data.aws_arn.audit_table.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

resource "aws_backup_selection" "audit" {
  count        = local.backup_count
  name         = "audit-table"
  plan_id      = aws_backup_plan.audit[0].id
  iam_role_arn = aws_iam_role.backup[0].arn
  resources    = [aws_dynamodb_table.audit.arn]
}
