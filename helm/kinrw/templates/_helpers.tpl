{{/* Names and labels */}}
{{- define "kinrw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kinrw.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kinrw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kinrw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kinrw.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "kinrw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kinrw.baseDomain" -}}
{{- required "baseDomain is required (the Land's host; KIs on <slug>.<baseDomain>)" .Values.baseDomain -}}
{{- end -}}

{{- define "kinrw.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret every long-running pod reads: the existing one, or the chart's own. */}}
{{- define "kinrw.secretName" -}}
{{- default (include "kinrw.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/* Pre-install/pre-upgrade hooks run before the chart's Secret exists: their own copy. */}}
{{- define "kinrw.hookSecretName" -}}
{{- if .Values.existingSecret -}}
{{- .Values.existingSecret -}}
{{- else -}}
{{- printf "%s-hook" (include "kinrw.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The plain settings (ConfigMap data; inlined into the hook Jobs). */}}
{{- define "kinrw.config" -}}
{{- $config := dict "KINRW_BASE_DOMAIN" (include "kinrw.baseDomain" .) -}}
{{- range $key, $value := .Values.config }}
{{- $_ := set $config $key (toString $value) -}}
{{- end }}
{{- toYaml $config -}}
{{- end -}}

{{- define "kinrw.secretData" -}}
{{- range $key := list "DATABASE_URL" "DJANGO_SECRET_KEY" "CELERY_BROKER_URL" }}
{{- $_ := required (printf "secret.%s is required unless existingSecret is set" $key) (index $.Values.secret $key) -}}
{{- end }}
{{- range $key, $value := .Values.secret }}
{{ $key }}: {{ toString $value | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every workload. */}}
{{- define "kinrw.podSpec" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir: {}
  - name: data
    emptyDir: {}
{{- end -}}

{{/* Container-level settings shared by every container; the root filesystem is read-only. */}}
{{- define "kinrw.container" -}}
image: {{ include "kinrw.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: /var/lib/kinrw
{{- end -}}

{{/* Environment of the long-running pods: ConfigMap and Secret. */}}
{{- define "kinrw.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "kinrw.fullname" . }}
  - secretRef:
      name: {{ include "kinrw.secretName" . }}
{{- end -}}

{{/* Restart the pods when a setting changes. */}}
{{- define "kinrw.podAnnotations" -}}
checksum/config: {{ include "kinrw.config" . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include "kinrw.secretData" . | sha256sum }}
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "kinrw.podLabels" -}}
{{ include "kinrw.selectorLabels" . }}
{{- with .Values.podLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}
