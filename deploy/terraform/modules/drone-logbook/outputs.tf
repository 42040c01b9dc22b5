output "namespace" {
  description = "Namespace of the deployment."
  value       = kubernetes_namespace.this.metadata[0].name
}

output "service_name" {
  description = "ClusterIP Service of the app (target for an external ingress module)."
  value       = kubernetes_service.app.metadata[0].name
}

output "service_port" {
  description = "Port of the Service."
  value       = var.service_port
}

output "backup_url" {
  description = "In-cluster URL the backup job calls."
  value       = local.backup_url
}

output "data_pvc_name" {
  description = "PVC with the DuckDB file and kept originals."
  value       = kubernetes_persistent_volume_claim.data.metadata[0].name
}

output "backup_cron_job_name" {
  description = "Name of the backup CronJob (kubectl create job --from=cronjob/<name> runs it now)."
  value       = kubernetes_cron_job_v1.backup.metadata[0].name
}

output "ingress_host" {
  description = "Public host, or null when create_ingress is false."
  value       = var.create_ingress ? var.ingress_host : null
}
