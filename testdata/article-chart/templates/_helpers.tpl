{{/* The labels every object of the chart carries. */}}
{{- define "sms.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sms.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end }}
