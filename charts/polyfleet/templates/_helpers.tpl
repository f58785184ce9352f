{{/* The chart name, or nameOverride. */}}
{{- define "polyfleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object's name: fullnameOverride, else <release>-<name> (the release alone if it already says polyfleet). */}}
{{- define "polyfleet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "polyfleet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "polyfleet.labels" -}}
helm.sh/chart: {{ include "polyfleet.chart" . }}
{{ include "polyfleet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: polyfleet
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* What the Deployment, Service, PodDisruptionBudget and NetworkPolicy select the pods by. */}}
{{- define "polyfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "polyfleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "polyfleet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "polyfleet.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "polyfleet.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Lease the replicas elect a leader with (polyfleet controller's LEASE_NAME), in the release namespace. */}}
{{- define "polyfleet.leaseName" -}}
polyfleet-controller
{{- end }}

{{/*
The rules of the controller's service account on polyfleet's kinds, Events and Secrets: exactly what
the controllers call (test/integration/rbac-audit.test.ts compares them with the API server's audit
log). Granted in every namespace by a ClusterRole, or in each of watchNamespaces by a Role. Reads come
from the informers' caches (list and watch, never get); the NodePool's finalizer is written with an
update, a Machine's with a patch; status with an update of the status subresource.
*/}}
{{- define "polyfleet.controllerRules" -}}
- apiGroups: [polyfleet.io]
  resources: [nodepools, strategies, placementrules, machines, hostgroups]
  verbs: [list, watch]
- apiGroups: [polyfleet.io]
  resources: [nodepools]
  verbs: [update]
- apiGroups: [polyfleet.io]
  resources: [machines]
  verbs: [create, patch, delete]
- apiGroups: [polyfleet.io]
  resources: [nodepools/status, strategies/status, placementrules/status, machines/status, hostgroups/status]
  verbs: [update]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}

{{/* The namespaces whose Roles the controller gets: watchNamespaces, without repeats. */}}
{{- define "polyfleet.watchNamespaces" -}}
{{- .Values.watchNamespaces | uniq | toJson }}
{{- end }}

{{/* A duration value (name, value, min and max in seconds, max 0 for none, why) as the controller's flag takes it,
refused outside the controller's bounds here rather than in a crash-looping pod. */}}
{{- define "polyfleet.duration" -}}
{{- $text := toString .value }}
{{- $seconds := 0 }}
{{- if regexMatch "^[0-9]+$" $text }}
{{- $seconds = int $text }}
{{- else }}
{{- $h := regexFind "[0-9]+h" $text | trimSuffix "h" | default "0" | int }}
{{- $m := regexFind "[0-9]+m" $text | trimSuffix "m" | default "0" | int }}
{{- $s := regexFind "[0-9]+s" $text | trimSuffix "s" | default "0" | int }}
{{- $seconds = add (mul $h 3600) (mul $m 60) $s }}
{{- end }}
{{- if lt (int $seconds) (int .min) }}
{{- fail (printf "%s must be at least %s%s, got %q" .name .minText .why $text) }}
{{- end }}
{{- if and (gt (int .max) 0) (gt (int $seconds) (int .max)) }}
{{- fail (printf "%s must be at most %s%s, got %q" .name .maxText .why $text) }}
{{- end }}
{{- $text }}
{{- end }}

{{/* leakGrace: at least 30 s, the controller's floor. */}}
{{- define "polyfleet.leakGrace" -}}
{{- include "polyfleet.duration" (dict "name" "leakGrace" "value" .Values.leakGrace "min" 30 "minText" "30s" "max" 0 "maxText" "" "why" " (a create in flight may look like a leak for that long)") }}
{{- end }}

{{/* leaseDuration: at least 2 s, as --leader-elect-lease-duration. */}}
{{- define "polyfleet.leaseDuration" -}}
{{- include "polyfleet.duration" (dict "name" "leaseDuration" "value" .Values.leaseDuration "min" 2 "minText" "2s" "max" 0 "maxText" "" "why" "") }}
{{- end }}

{{/* offeringBackoff: from 1 s to 30 min, as --offering-backoff. */}}
{{- define "polyfleet.offeringBackoff" -}}
{{- include "polyfleet.duration" (dict "name" "offeringBackoff" "value" .Values.offeringBackoff "min" 1 "minText" "1s" "max" 1800 "maxText" "30m" "why" "") }}
{{- end }}

{{/* priceTtl: from 1 s to 168 h, as --price-ttl. */}}
{{- define "polyfleet.priceTtl" -}}
{{- include "polyfleet.duration" (dict "name" "priceTtl" "value" .Values.priceTtl "min" 1 "minText" "1s" "max" 604800 "maxText" "168h" "why" "") }}
{{- end }}
