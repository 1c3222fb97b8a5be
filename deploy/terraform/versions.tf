# cognito-bot's AWS resources: both DynamoDB tables, the bot's IAM role (IRSA) and an
# optional AWS Backup plan for the audit log. `terraform init && terraform plan` —
# see docs/operations.md.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Tested against the v5 and v6 schemas: nothing here uses what v6 removed or
      # deprecated (the region comes from the table's ARN, not aws_region.name).
      version = ">= 5.40, < 7"
    }
  }
}
