# Two providers: the primary region runs the service, the recovery region holds the replicas.
# Every resource carries the taxonomy tags (taxonomy.yaml in the portal), validated when this
# repository was created; the cost and DR plugins find resources by them. (Rendered as JSON strings,
# valid HCL, with HCL's ${ and %{ template sequences escaped by payments:taxonomy:validate.)

provider "aws" {
  region = var.primary_region

  default_tags {
    tags = {
{% for key, value in values.terraformTags %}
      ${{ key | dump }}{% for i in range(0, 19 - (key | length)) %} {% endfor %} = ${{ value | dump }}
{% endfor %}
    }
  }
}

provider "aws" {
  alias  = "recovery"
  region = var.recovery_region

  default_tags {
    tags = {
{% for key, value in values.terraformTags %}
      ${{ key | dump }}{% for i in range(0, 19 - (key | length)) %} {% endfor %} = ${{ value | dump }}
{% endfor %}
    }
  }
}
