output "bot_role_arn" {
  description = "Put this in the service account's eks.amazonaws.com/role-arn annotation."
  value       = aws_iam_role.bot.arn
}

output "audit_table_name" {
  description = "audit.table in the bot's configuration."
  value       = aws_dynamodb_table.audit.name
}

output "state_table_name" {
  description = "audit.state_table in the bot's configuration."
  value       = aws_dynamodb_table.state.name
}

output "audit_table_arn" {
  description = "ARN of the audit table, for policies, alarms and backups elsewhere."
  value       = aws_dynamodb_table.audit.arn
}

output "state_table_arn" {
  description = "ARN of the state table."
  value       = aws_dynamodb_table.state.arn
}

output "backup_vault_arn" {
  description = "ARN of the audit log's backup vault; null when backup_enabled is false."
  value       = var.backup_enabled ? aws_backup_vault.audit[0].arn : null
}
