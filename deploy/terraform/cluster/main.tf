# Root module for the homelab cluster: the provider and one call of the drone-logbook module with
# its defaults. State backend and credentials follow the cluster's usual setup (see ../README.md).
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.31"
    }
  }
}

variable "kube_config_path" {
  description = "kubeconfig used to reach the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "kubeconfig context (null = the current one)."
  type        = string
  default     = null
}

variable "image" {
  description = "Dronelog image to deploy (Keel takes over tag updates afterwards)."
  type        = string
  default     = "ghcr.io/viktorbarzin/dronelog:latest"
}

provider "kubernetes" {
  config_path    = var.kube_config_path
  config_context = var.kube_context
}

module "drone_logbook" {
  source = "../modules/drone-logbook"
  image  = var.image
}

output "namespace" {
  value = module.drone_logbook.namespace
}

output "ingress_host" {
  value = module.drone_logbook.ingress_host
}

output "backup_cron_job_name" {
  value = module.drone_logbook.backup_cron_job_name
}
