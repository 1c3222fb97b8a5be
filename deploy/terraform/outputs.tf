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
