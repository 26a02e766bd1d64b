# ${{ values.name }}: the container image. CI pushes it once, tagged with the commit SHA, and it is
# scanned on push; deploys promote that image by digest (never a rebuild)${{ ', copying it by digest to the repository in ' ~ values.recoveryRegion ~ ' (the standby pulls from its own region)' if values.dr.replicated else '' }}.
# Tags are immutable: a tag always names the image that was scanned and signed.

locals {
  # Keep the newest 500 images (tags, signatures, SBOMs and the platform images of multi-arch
  # indexes count): expiring untagged images would break the indexes that reference them.
  ecr_lifecycle_policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest 500 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 500
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_ecr_repository" "main" {
  name                 = local.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.main.arn
  }
}

resource "aws_ecr_lifecycle_policy" "main" {
  repository = aws_ecr_repository.main.name
  policy     = local.ecr_lifecycle_policy
}
{% if values.dr.replicated %}

# The recovery region's copy: the standby must start without ${{ values.primaryRegion }}.
resource "aws_ecr_repository" "recovery" {
  provider = aws.recovery

  name                 = local.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = local.recovery_kms_key_arn
  }
}

resource "aws_ecr_lifecycle_policy" "recovery" {
  provider = aws.recovery

  repository = aws_ecr_repository.recovery.name
  policy     = local.ecr_lifecycle_policy
}
{% endif %}

output "ecr_repository_url" {
  description = "The image repository (image.repository in ${{ values.primaryRegion }})."
  value       = aws_ecr_repository.main.repository_url
}
{% if values.dr.replicated %}

output "recovery_ecr_repository_url" {
  description = "The image repository in ${{ values.recoveryRegion }} (image.repository there; the deploy copies the image by digest)."
  value       = aws_ecr_repository.recovery.repository_url
}
{% endif %}
