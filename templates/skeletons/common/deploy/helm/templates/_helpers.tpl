{{/* Control flow sits in YAML comments ("# {{ if }}") so every template stays parseable YAML for linters and the portal's golden-path test. */}}
{{- define "svc.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's track: stable (release <name>: it owns the Service, HPA, PDB, service accounts, NetworkPolicies and Ingress) or canary (release <name>-canary: one pod of the new version). */}}
{{- define "svc.track" -}}
{{- $track := toString .Values.track -}}
{{- if not (has $track (list "stable" "canary")) -}}
{{- fail (printf "track must be \"stable\" or \"canary\" (--set track=stable|canary), not %q" $track) -}}
{{- end -}}
{{- $track -}}
{{- end -}}

{{/* "true" for the stable release, "" for the canary: the resources only the stable release owns. */}}
{{- define "svc.stable" -}}
{{- if eq (include "svc.track" .) "stable" -}}true{{- end -}}
{{- end -}}

{{- define "svc.fullname" -}}
{{- if include "svc.stable" . -}}
{{- include "svc.name" . -}}
{{- else -}}
{{- printf "%s-canary" (include "svc.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The image by digest: what CI built and scanned, never a tag that can move. */}}
{{- define "svc.image" -}}
{{- $repository := required "image.repository is required: the ECR repository, without a tag (--set image.repository=...)" .Values.image.repository -}}
{{- $digest := required "image.digest is required: the image is deployed by digest (--set image.digest=sha256:<64 hex digits>)" .Values.image.digest -}}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" (toString $digest)) -}}
{{- fail (printf "image.digest must be sha256:<64 hex digits>, not %q" (toString $digest)) -}}
{{- end -}}
{{- printf "%s@%s" $repository $digest -}}
{{- end -}}

{{/* The Service's selector: stable and canary pods alike (never the migration Job's). */}}
{{- define "svc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "svc.name" . }}
{{- end -}}

{{/* A Deployment's selector: the stable and canary Deployments never select each other's pods. */}}
{{- define "svc.podLabels" -}}
{{ include "svc.selectorLabels" . }}
track: {{ include "svc.track" . }}
{{- end -}}

{{/* Every pod of the service (app and migration Job): what the NetworkPolicies select. */}}
{{- define "svc.servicePodLabels" -}}
payments-platform/service: {{ include "svc.name" . }}
{{- end -}}

{{- define "svc.commonLabels" -}}
{{ include "svc.servicePodLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
payments-platform/dr-tier: ${{ values.tier }}
{{- end -}}

{{- define "svc.migrateLabels" -}}
app.kubernetes.io/name: {{ include "svc.name" . }}-migrate
app.kubernetes.io/component: migrations
track: {{ include "svc.track" . }}
{{ include "svc.commonLabels" . }}
{{- end -}}

{{- define "svc.labels" -}}
{{ include "svc.podLabels" . }}
{{ include "svc.commonLabels" . }}
{{- end -}}

{{/* The container env from values (env: + the SSM parameter /<name>/helm-values); TRACK comes from track, and the master secret never reaches the app. A variable the service needs fails the release here rather than crash-looping the pods. */}}
{{- define "svc.env" -}}
{{- range .Values.requiredEnv }}
{{- if not (get ($.Values.env | default dict) .) }}
{{- fail (printf "env.%s is required: the SSM parameter /%s/helm-values (written by Terraform) supplies it" . (include "svc.name" $)) }}
{{- end }}
{{- end }}
- name: TRACK
  value: {{ include "svc.track" . | quote }}
{{- range $name, $value := .Values.env }}
{{- if not (has $name (list "TRACK" "DATABASE_MASTER_SECRET_ARN")) }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
{{- end -}}
