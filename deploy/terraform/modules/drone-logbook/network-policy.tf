# Optional (network_policy = true): only the reverse proxy's namespace and the backup CronJob reach the app's port.
# TRUST_PROXY has to name the whole pod CIDR (Traefik's pod IP is not fixed), so without this any workload in the
# cluster that calls the Service could claim a client IP or, with TRUST_PROXY_AUTH_HEADER, a user name for the
# audit trail. Off by default: whether kubelet probes and port-forward stay allowed depends on the CNI's policy
# engine (k3s's kube-router and Calico allow the node's own traffic); check `kubectl get events` after enabling.
resource "kubernetes_network_policy_v1" "app" {
  count = var.network_policy ? 1 : 0

  metadata {
    name      = var.name
    namespace = kubernetes_namespace.this.metadata[0].name
    labels    = local.app_labels
  }

  spec {
    pod_selector {
      match_labels = local.app_labels
    }
    policy_types = ["Ingress"]

    ingress {
      ports {
        port     = "http"
        protocol = "TCP"
      }
      # The reverse proxy (Traefik) and any other namespace listed, e.g. monitoring for a Prometheus scrape.
      dynamic "from" {
        for_each = var.network_policy_allowed_namespaces
        content {
          namespace_selector {
            match_labels = { "kubernetes.io/metadata.name" = from.value }
          }
        }
      }
      # The daily backup job (backup.tf), in this namespace.
      from {
        pod_selector {
          match_labels = { app = "${var.name}-backup" }
        }
      }
    }
  }
}
