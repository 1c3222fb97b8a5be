variable "audit_table_name" {
  description = "Audit log table (audit.table in the bot's configuration)."
  type        = string
  default     = "cognito-bot-audit"
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.audit_table_name))
    error_message = "audit_table_name must be a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "state_table_name" {
  description = "Pending actions and sessions table (audit.state_table)."
  type        = string
  default     = "cognito-bot-state"
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.state_table_name))
    error_message = "state_table_name must be a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for both tables; null keeps DynamoDB's AWS owned key."
  type        = string
  default     = null
  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$", coalesce(var.kms_key_arn, "-")))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/…)."
  }
}

variable "user_pool_arns" {
  description = "ARNs of the Cognito user pools the bot manages (pools[].id in the configuration)."
  type        = list(string)
  validation {
    condition     = length(var.user_pool_arns) > 0
    error_message = "user_pool_arns is empty: the policy would grant Cognito actions on no pool (and IAM rejects a statement without resources). List the pools of pools[] in the configuration."
  }
  validation {
    condition     = length([for arn in var.user_pool_arns : arn if !can(regex("^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[A-Za-z0-9]+$", arn))]) == 0
    error_message = "Every user_pool_arns entry must be a user pool ARN: arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID."
  }
}

variable "bot_policy_json" {
  description = "Optional: the bot's policy from `cognito-bot iam-policy --config FILE --account ID` (least privilege for that configuration). null grants every action on user_pool_arns."
  type        = string
  default     = null
  validation {
    condition     = var.bot_policy_json == null || can(jsondecode(coalesce(var.bot_policy_json, "-")).Statement)
    error_message = "bot_policy_json must be null or an IAM policy document (JSON with a Statement list), as cognito-bot iam-policy prints it."
  }
  validation {
    condition     = var.bot_policy_json == null || !can(regex("ACCOUNT_ID", coalesce(var.bot_policy_json, "-")))
    error_message = "bot_policy_json still says ACCOUNT_ID: run cognito-bot iam-policy with --account, or replace() it with the account id."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider, for IRSA."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/…)."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the bot's service account."
  type        = string
  default     = "cognito-bot"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a Kubernetes namespace name (DNS label)."
  }
}

variable "service_account" {
  description = "Name of the bot's Kubernetes service account."
  type        = string
  default     = "cognito-bot"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.service_account))
    error_message = "service_account must be a Kubernetes object name (DNS subdomain)."
  }
}

variable "role_name" {
  description = "Name of the IAM role the bot assumes."
  type        = string
  default     = "cognito-bot"
  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be an IAM role name: 1 to 64 letters, digits or +=,.@_-."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
