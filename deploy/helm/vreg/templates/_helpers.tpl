{{- define "vreg.fullname" -}}
{{- printf "%s" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vreg.labels" -}}
app.kubernetes.io/name: vreg
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "vreg.selector" -}}
app.kubernetes.io/name: vreg
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
