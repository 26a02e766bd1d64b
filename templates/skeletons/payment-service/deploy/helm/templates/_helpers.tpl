{{/* Control flow sits in YAML comments ("# {{ if }}") so every template stays parseable YAML for linters and the portal's golden-path test. */}}
{{- define "svc.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "svc.fullname" -}}
{{- if .Values.canary -}}
{{- printf "%s-canary" (include "svc.name" .) | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- include "svc.name" . -}}
{{- end -}}
{{- end -}}

{{- define "svc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "svc.name" . }}
{{- end -}}

{{/* Deployment selector: stable and canary pods are told apart; the Service selects both. */}}
{{- define "svc.podLabels" -}}
{{ include "svc.selectorLabels" . }}
payments-platform/track: {{ ternary "canary" "stable" .Values.canary }}
{{- end -}}

{{- define "svc.labels" -}}
{{ include "svc.podLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
payments-platform/dr-tier: ${{ values.tier }}
{{- end -}}
