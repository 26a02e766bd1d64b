terraform {
  # 1.11+: ephemeral resources and write-only attributes keep the database password out of state.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State in the platform's state bucket, one key per service (bucket and lock table from the
  # platform team; fill in with `terraform init -backend-config=...`).
  backend "s3" {
    key     = ${{ ('services/' ~ values.name ~ '/production.tfstate') | dump }}
    region  = ${{ values.primaryRegion | dump }}
    encrypt = true
  }
}
