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

variable "trust_proxy" {
  description = "The cluster's pod CIDR (where Traefik's pods get their addresses), passed to the app as TRUST_PROXY. null = the module's default, 10.42.0.0/16 (k3s): check `kubectl -n traefik get pods -o wide` before the first apply."
  type        = string
  default     = null
}

provider "kubernetes" {
  config_path    = var.kube_config_path
  config_context = var.kube_context
}

module "drone_logbook" {
  source      = "../modules/drone-logbook"
  image       = var.image
  trust_proxy = var.trust_proxy
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
