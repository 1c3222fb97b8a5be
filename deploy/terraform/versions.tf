# cognito-bot's AWS resources: both DynamoDB tables and the bot's IAM role (IRSA).
# `terraform init && terraform plan` — see docs/operations.md.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }
}
