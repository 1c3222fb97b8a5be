variable "audit_table_name" {
  description = "Audit log table (audit.table in the bot's configuration)."
  type        = string
  default     = "cognito-bot-audit"
}

variable "state_table_name" {
  description = "Pending actions and sessions table (audit.state_table)."
  type        = string
  default     = "cognito-bot-state"
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for both tables; null keeps DynamoDB's AWS owned key."
  type        = string
  default     = null
}

variable "user_pool_arns" {
  description = "ARNs of the Cognito user pools the bot manages (pools[].id in the configuration)."
  type        = list(string)
}

variable "oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider, for IRSA."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the bot's service account."
  type        = string
  default     = "cognito-bot"
}

variable "service_account" {
  description = "Name of the bot's Kubernetes service account."
  type        = string
  default     = "cognito-bot"
}

variable "role_name" {
  description = "Name of the IAM role the bot assumes."
  type        = string
  default     = "cognito-bot"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
