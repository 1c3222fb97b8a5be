variable "backup_enabled" {
  description = "Back the audit table up with AWS Backup: point-in-time recovery reaches back 35 days, audit entries live for audit.retention (365 days by default)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "How long each backup is kept. Keep it at least audit.retention in days, so every entry can be restored as long as it lives."
  type        = number
  default     = 400
  validation {
    condition     = var.backup_retention_days >= 35 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days must be a whole number of days, at least 35 (point-in-time recovery already covers less)."
  }
}

variable "backup_schedule" {
  description = "When backups run, as an AWS Backup cron expression (UTC)."
  type        = string
  default     = "cron(0 3 * * ? *)"
  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.backup_schedule))
    error_message = "backup_schedule must be cron(…), e.g. cron(0 3 * * ? *)."
  }
}

variable "backup_vault_lock" {
  description = "Backup vault lock: \"none\", \"governance\" (privileged users can still delete backups or change the lock) or \"compliance\" (after 3 days nobody can, not even the account root: check the retention first)."
  type        = string
  default     = "none"
  validation {
    condition     = contains(["none", "governance", "compliance"], var.backup_vault_lock)
    error_message = "backup_vault_lock must be none, governance or compliance."
  }
}

variable "backup_kms_key_arn" {
  description = "Customer managed KMS key for the backup vault; null uses AWS Backup's default key."
  type        = string
  default     = null
  validation {
    condition     = var.backup_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.backup_kms_key_arn, "-")))
    error_message = "backup_kms_key_arn must be null or a KMS key ARN."
  }
}
